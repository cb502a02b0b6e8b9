import { z } from "zod";
import type { StageName } from "../../app/blueprint/stages.ts";
import type { ProviderEvent, StageRequest } from "../../app/llm/types.ts";

/** A small stand-in for a stage schema: nested objects, an enum, an optional field. */
export const testSchema = z.object({
  workingName: z.string().min(1),
  tagline: z.string().optional(),
  features: z.array(z.object({
    id: z.string(),
    title: z.string(),
    priority: z.enum(["P0", "P1", "P2"]),
  })).min(1),
});

/** A valid output of testSchema, long enough to stream in many fragments. */
export const validOutput = {
  workingName: "Harvest Box",
  tagline: "Local farms, delivered weekly",
  features: [
    { id: "f1", title: "Browse weekly boxes from nearby farms", priority: "P0" },
    { id: "f2", title: "Subscribe and skip a week", priority: "P0" },
    { id: "f3", title: "Farmer storefront and inventory", priority: "P1" },
  ],
};

/** Another valid output, to tell two providers' answers apart. */
export const otherOutput = {
  workingName: "Field to Fork",
  features: [{ id: "f1", title: "Order a seasonal box", priority: "P0" }],
};

/** A stage request with the test schema. */
export function stageRequest(
  overrides: Partial<StageRequest> & { stage?: StageName } = {},
): StageRequest {
  return {
    stage: "product",
    directive: "a marketplace where local farmers sell vegetable boxes",
    inputs: {},
    schema: testSchema,
    schemaVersion: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Collects every event; on failure returns the events so far with the error. */
export async function collect(
  events: AsyncIterable<ProviderEvent>,
): Promise<{ events: ProviderEvent[]; error?: unknown }> {
  const seen: ProviderEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { events: seen };
  } catch (error) {
    return { events: seen, error };
  }
}
