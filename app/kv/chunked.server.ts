import { z } from "zod";
import { chunkKey } from "./keys.ts";
import { readEntry, warnInvalidValue } from "./values.server.ts";
import type { ReadOptions } from "./values.server.ts";

/** Bytes of JSON per chunk: under KV's 64 KiB value limit with room for serialisation. */
export const CHUNK_BYTES = 60_000;

// One atomic commit allows 1000 mutations and 800 KiB in total; stay well inside both.
const MAX_MUTATIONS_PER_COMMIT = 500;
const MAX_BYTES_PER_COMMIT = 700_000;
// getMany reads at most 10 keys at a time.
const MAX_KEYS_PER_READ = 10;
const MAX_MANIFEST_ATTEMPTS = 10;

const manifestSchema = z.object({
  chunked: z.literal(1),
  /** Each write has its own chunk keys, so a reader never mixes chunks of two writes. */
  writeId: z.string().min(1),
  chunks: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

type Manifest = z.infer<typeof manifestSchema>;

/** Options of a chunked write. */
export interface ChunkedWriteOptions {
  /** Milliseconds after which KV may delete the value (a lower bound). */
  expireIn?: number;
}

const chunkKeyOf = (key: Deno.KvKey, manifest: Pick<Manifest, "writeId">, index: number) =>
  chunkKey([...key, manifest.writeId], index);

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).toHex();
}

/** The record at a chunked value's key that makes its chunks visible. */
export type ChunkManifest = Manifest;

/** The manifest `value` is, or null when it is something else (e.g. a value stored inline). */
export function parseChunkManifest(value: unknown): ChunkManifest | null {
  return manifestSchema.safeParse(value).data ?? null;
}

/**
 * Writes the chunks of a JSON value for `key` and returns its manifest, not yet stored: the
 * caller sets it at `key` in a commit of its own (one fenced by a lease, say). Chunks whose
 * manifest is never set are orphans under their own write id, deleted by `expireIn`.
 */
export async function writeChunks(
  kv: Deno.Kv,
  key: Deno.KvKey,
  value: unknown,
  options: ChunkedWriteOptions = {},
): Promise<ChunkManifest> {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError("setChunked: value is not JSON-serialisable");
  const bytes = new TextEncoder().encode(json);
  const manifest: Manifest = {
    chunked: 1,
    writeId: crypto.randomUUID(),
    chunks: Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES)),
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
  };
  const setOptions = options.expireIn === undefined ? {} : { expireIn: options.expireIn };

  let batch = kv.atomic();
  let mutations = 0;
  let batchBytes = 0;
  for (let index = 0; index < manifest.chunks; index++) {
    const chunk = bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES);
    if (
      mutations === MAX_MUTATIONS_PER_COMMIT || batchBytes + chunk.length > MAX_BYTES_PER_COMMIT
    ) {
      await commitOrThrow(batch);
      batch = kv.atomic();
      mutations = 0;
      batchBytes = 0;
    }
    batch.set(chunkKeyOf(key, manifest, index), chunk, setOptions);
    mutations++;
    batchBytes += chunk.length;
  }
  await commitOrThrow(batch);
  return manifest;
}

/** Stores a JSON value of any size at `key`: chunks first, then a manifest that makes them visible. */
export async function setChunked(
  kv: Deno.Kv,
  key: Deno.KvKey,
  value: unknown,
  options: ChunkedWriteOptions = {},
): Promise<void> {
  const manifest = await writeChunks(kv, key, value, options);
  const setOptions = options.expireIn === undefined ? {} : { expireIn: options.expireIn };
  // Swap the manifest; the check tells us exactly which earlier write we replaced.
  for (let attempt = 0; attempt < MAX_MANIFEST_ATTEMPTS; attempt++) {
    const previous = await readEntry(kv, key, manifestSchema, { onInvalid: () => {} });
    const swapped = await kv.atomic()
      .check({ key, versionstamp: previous.versionstamp })
      .set(key, manifest, setOptions)
      .commit();
    if (swapped.ok) {
      if (previous.value) await deleteChunks(kv, key, previous.value);
      return;
    }
  }
  await deleteChunks(kv, key, manifest);
  throw new Error(`setChunked: too many concurrent writers at ${JSON.stringify(key)}`);
}

/** Reads a chunked JSON value; null when absent, incomplete, corrupt or failing the schema. */
export async function getChunked<S extends z.ZodType>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  schema: S,
  options: ReadOptions = {},
): Promise<z.output<S> | null> {
  const manifest = (await readEntry(kv, key, manifestSchema, options)).value;
  if (manifest === null) return null;
  return await readChunks(kv, key, manifest, schema, options);
}

/** Reads the value a manifest (read already) points at; null when incomplete, corrupt or invalid. */
export async function readChunks<S extends z.ZodType>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  manifest: ChunkManifest,
  schema: S,
  options: ReadOptions = {},
): Promise<z.output<S> | null> {
  const keys = Array.from(
    { length: manifest.chunks },
    (_, index) => chunkKeyOf(key, manifest, index),
  );
  const groups = [];
  for (let start = 0; start < keys.length; start += MAX_KEYS_PER_READ) {
    groups.push(kv.getMany(keys.slice(start, start + MAX_KEYS_PER_READ)));
  }
  const entries = (await Promise.all(groups)).flat();

  const bytes = new Uint8Array(manifest.bytes);
  let offset = 0;
  for (const entry of entries) {
    // A chunk deleted by a newer write, or lost to expiry: a miss, never a partial value.
    if (!(entry.value instanceof Uint8Array) || offset + entry.value.length > bytes.length) {
      return null;
    }
    bytes.set(entry.value, offset);
    offset += entry.value.length;
  }
  if (offset !== manifest.bytes || (await sha256Hex(bytes)) !== manifest.sha256) return null;

  const parsed = schema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
  if (parsed.success) return parsed.data;
  (options.onInvalid ?? warnInvalidValue)(key, parsed.error);
  return null;
}

/** Deletes a chunked value and its chunks. */
export async function deleteChunked(kv: Deno.Kv, key: Deno.KvKey): Promise<void> {
  const entry = await readEntry(kv, key, manifestSchema, { onInvalid: () => {} });
  if (entry.versionstamp === null) return;
  const removed = await kv.atomic().check({ key, versionstamp: entry.versionstamp }).delete(key)
    .commit();
  // A failed check means a newer write replaced it; that writer cleans up what it replaced.
  if (removed.ok && entry.value) await deleteChunks(kv, key, entry.value);
}

async function deleteChunks(kv: Deno.Kv, key: Deno.KvKey, manifest: Manifest): Promise<void> {
  for (let start = 0; start < manifest.chunks; start += MAX_MUTATIONS_PER_COMMIT) {
    const batch = kv.atomic();
    const end = Math.min(manifest.chunks, start + MAX_MUTATIONS_PER_COMMIT);
    for (let index = start; index < end; index++) batch.delete(chunkKeyOf(key, manifest, index));
    await commitOrThrow(batch);
  }
}

async function commitOrThrow(operation: Deno.AtomicOperation): Promise<void> {
  const result = await operation.commit();
  // Only checks can fail a commit, and chunk writes carry none: this is a storage error.
  if (!result.ok) throw new Error("chunked write: KV commit failed");
}
