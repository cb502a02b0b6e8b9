import { z } from "zod";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import { usageSchema } from "../blueprint/usage.ts";

const stage = z.enum(STAGE_NAMES);

/** Every event a generation emits (names fixed by docs/architecture.md §4). */
export const generationEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("status"), data: z.object({ message: z.string() }) }),
  z.object({
    event: z.literal("stage.started"),
    data: z.object({ stage, provider: z.string(), model: z.string() }),
  }),
  z.object({
    event: z.literal("stage.delta"),
    data: z.object({ stage, partial: z.unknown() }),
  }),
  z.object({
    event: z.literal("stage.completed"),
    data: z.object({ stage, version: z.number().int(), output: z.unknown(), usage: usageSchema }),
  }),
  z.object({
    event: z.literal("stage.failed"),
    data: z.object({
      stage,
      error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }),
    }),
  }),
  z.object({
    event: z.literal("generation.completed"),
    data: z.object({ projectId: z.string(), durationMs: z.number(), costUsd: z.number() }),
  }),
]);

/** One generation event. */
export type GenerationEvent = z.infer<typeof generationEventSchema>;

/** A generation event with its sequence id in the job's log. */
export type SequencedEvent = GenerationEvent & { seq: number };

/** Formats one event for an SSE stream (`id`, `event`, `data`). */
export function formatSse(event: SequencedEvent): string {
  return `id: ${event.seq}\nevent: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
