/** Scripted providers for pipeline tests: real offline output, controllable timing and failure. */
import type { GenerateStage } from "../../app/generation/pipeline.server.ts";
import type { StageName } from "../../app/blueprint/stages.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { ProviderError } from "../../app/llm/types.ts";

/** One recorded stage call. */
export interface CallRecord {
  stage: StageName;
  startedAt: number;
  endedAt?: number;
}

/**
 * A generate function that emits offline-engine output after `delayMs` per stage (in a few
 * deltas), recording start and end times; `fail` makes a stage throw a provider error.
 */
export function scriptedGenerate(
  options: { delayMs?: number | ((stage: StageName) => number); fail?: StageName[] } = {},
): { generate: GenerateStage; calls: CallRecord[] } {
  const calls: CallRecord[] = [];
  const generate: GenerateStage = async function* (request) {
    const record: CallRecord = { stage: request.stage, startedAt: performance.now() };
    calls.push(record);
    yield { type: "started", provider: "scripted", model: "scripted-1" };
    const delay = typeof options.delayMs === "function"
      ? options.delayMs(request.stage)
      : options.delayMs ?? 0;
    const output = generateStage(request.stage, request.directive, request.inputs as never);
    const steps = 4;
    for (let i = 1; i <= steps; i++) {
      await sleep(delay / steps, request.signal);
      yield { type: "delta", partial: { step: i } };
    }
    if (options.fail?.includes(request.stage)) {
      throw new ProviderError("server", "scripted failure", { provider: "scripted", status: 500 });
    }
    record.endedAt = performance.now();
    yield {
      type: "completed",
      output,
      usage: {
        provider: "scripted",
        model: "scripted-1",
        inputTokens: 10,
        outputTokens: 20,
        costUsd: 0.001,
        ttftMs: 1,
        durationMs: delay,
        cached: false,
      },
    };
  };
  return { generate, calls };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Reads an SSE response into events until the stream ends. */
export async function readSse(
  response: Response,
  options: { until?: (event: { id: number; event: string; data: any }) => boolean } = {},
): Promise<{ id: number; event: string; data: any }[]> {
  const events: { id: number; event: string; data: any }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const i = line.indexOf(":");
          if (i < 0) continue;
          fields[line.slice(0, i)] = (fields[line.slice(0, i)] ?? "") +
            line.slice(i + 1).trimStart();
        }
        if (!fields.event) continue;
        const event = { id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) };
        events.push(event);
        if (options.until?.(event)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}
