/**
 * A job's event log in KV: one entry per event at `jobEventKey(jobId, seq)`. Small events are
 * stored as they are; a large one through the `kv/chunked` primitives (its manifest is set in
 * the job's own fenced commit). `stage.delta` events are stored as increments and replayed.
 */
import { z } from "zod";
import { chunkKey, jobEventKey, jobEventsPrefix } from "../kv/keys.ts";
import { parseChunkManifest, readChunks, writeChunks } from "../kv/chunked.server.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import type { GenerationEvent, SequencedEvent } from "./events.ts";
import { generationEventSchema } from "./events.ts";
import { applyPatch, patchSchema } from "./partial-patch.ts";

/** Events and finished jobs are kept this long (docs/architecture.md §4). */
export const EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * Events up to this many bytes of JSON are stored as they are: V8 may serialise text as UTF-16,
 * up to twice its UTF-8 size, so only half of KV's value limit is safe.
 */
const INLINE_EVENT_BYTES = 30_000;

/** How far a reader has replayed a job's log, and each stage's partial at that point. */
export interface ReplayCursor {
  seq: number;
  partials: Map<StageName, unknown>;
}

/** A cursor at the start of a log. */
export function newReplayCursor(): ReplayCursor {
  return { seq: 0, partials: new Map() };
}

/** A `stage.delta` as stored: the change since the stage's previous delta. */
const storedDeltaSchema = z.object({
  event: z.literal("stage.delta"),
  data: z.object({ stage: z.enum(STAGE_NAMES), ops: patchSchema }),
});

/** A stored event, or an increment of one (`stage.delta` with `ops`). */
export type StoredEvent = GenerationEvent | z.infer<typeof storedDeltaSchema>;

/** Whether an event's JSON is too large to be stored inline. */
function isLargeEvent(event: StoredEvent): boolean {
  return new TextEncoder().encode(JSON.stringify(event)).byteLength > INLINE_EVENT_BYTES;
}

/** Adds an event to the job's commit `op`; a large one's chunks are committed first. */
export async function appendEvent(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  jobId: string,
  seq: number,
  event: StoredEvent,
): Promise<void> {
  const key = jobEventKey(jobId, seq);
  const options = { expireIn: EVENT_TTL_MS };
  op.check({ key, versionstamp: null });
  if (!isLargeEvent(event)) {
    op.set(key, event, options);
    return;
  }
  // Chunks are keyed by this write: if the job's commit then fails (lease lost), they are
  // orphans that expire, never mixed into the event another instance writes at this seq.
  op.set(key, await writeChunks(kv, key, event, options), options);
}

/**
 * Events of a job after `afterSeq`, in order, each `stage.delta` with its whole partial (the
 * log stores increments; they are replayed from the stage's start). A stream passes one
 * `cursor` to every call so each stored event is read once.
 */
export async function readEvents(
  kv: Deno.Kv,
  jobId: string,
  afterSeq: number,
  cursor: ReplayCursor = newReplayCursor(),
): Promise<SequencedEvent[]> {
  const events: SequencedEvent[] = [];
  const iter = kv.list({
    prefix: jobEventsPrefix(jobId),
    start: jobEventKey(jobId, cursor.seq + 1),
  });
  for await (const entry of iter) {
    const seq = entry.key[2] as number;
    const value = await storedValue(kv, entry);
    if (value === null) break;
    let event: GenerationEvent;
    const increment = storedDeltaSchema.safeParse(value);
    if (increment.success) {
      const { stage, ops } = increment.data.data;
      let partial: unknown;
      try {
        partial = applyPatch(cursor.partials.get(stage), ops);
      } catch {
        break;
      }
      cursor.partials.set(stage, partial);
      event = { event: "stage.delta", data: { stage, partial } };
    } else {
      const parsed = generationEventSchema.safeParse(value);
      if (!parsed.success) break;
      event = parsed.data;
      // Logs written before increments hold whole partials.
      if (event.event === "stage.delta") {
        cursor.partials.set(event.data.stage, event.data.partial);
      }
      if (event.event === "stage.started") cursor.partials.delete(event.data.stage);
    }
    cursor.seq = seq;
    if (seq > afterSeq) events.push({ ...event, seq });
  }
  return events;
}

/** The stored event at a log entry, its chunks joined; null when a chunk is missing. */
async function storedValue(kv: Deno.Kv, entry: Deno.KvEntry<unknown>): Promise<unknown> {
  const manifest = parseChunkManifest(entry.value);
  if (manifest) return await readChunks(kv, entry.key, manifest, z.unknown(), {});
  const legacy = legacyManifestSchema.safeParse(entry.value);
  return legacy.success ? await readLegacyChunks(kv, entry.key, legacy.data) : entry.value;
}

/**
 * Large events logged before the log used `kv/chunked` (`{ chunks, writeId? }`, no checksum).
 * Read only, for logs still within their TTL; nothing writes this shape any more.
 */
const legacyManifestSchema = z.object({ chunks: z.number(), writeId: z.string().optional() })
  .strict();

async function readLegacyChunks(
  kv: Deno.Kv,
  key: Deno.KvKey,
  manifest: z.infer<typeof legacyManifestSchema>,
): Promise<unknown> {
  const base = manifest.writeId === undefined ? key : [...key, manifest.writeId];
  const keys = Array.from({ length: manifest.chunks }, (_, i) => chunkKey(base, i));
  const parts: unknown[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    for (const part of await kv.getMany(keys.slice(i, i + 10))) parts.push(part.value);
  }
  if (!parts.every((p): p is Uint8Array => p instanceof Uint8Array)) return null;
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((offset, p) => (joined.set(p, offset), offset + p.byteLength), 0);
  return JSON.parse(new TextDecoder().decode(joined));
}
