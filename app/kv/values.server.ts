import type { z } from "zod";

/** An entry read back through its schema; an invalid value reads as absent but keeps its versionstamp. */
export interface CheckedEntry<T> {
  value: T | null;
  /** Non-null whenever the key exists, so atomic writers can still replace a bad value. */
  versionstamp: string | null;
}

/** Called once per invalid read; defaults to one warning line. */
export type InvalidValueReporter = (key: Deno.KvKey, error: z.ZodError) => void;

/** Options shared by the checked readers. */
export interface ReadOptions {
  onInvalid?: InvalidValueReporter;
  consistency?: Deno.KvConsistencyLevel;
}

/** Reads a KV entry and validates its value, treating an invalid value as absent. */
export async function readEntry<S extends z.ZodType>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  schema: S,
  options: ReadOptions = {},
): Promise<CheckedEntry<z.output<S>>> {
  const entry = await kv.get(key, { consistency: options.consistency });
  if (entry.versionstamp === null) return { value: null, versionstamp: null };
  const parsed = schema.safeParse(entry.value);
  if (parsed.success) return { value: parsed.data, versionstamp: entry.versionstamp };
  (options.onInvalid ?? warnInvalidValue)(key, parsed.error);
  return { value: null, versionstamp: entry.versionstamp };
}

/** Reads and validates a KV value: null when absent or invalid. */
export async function readValue<S extends z.ZodType>(
  kv: Deno.Kv,
  key: Deno.KvKey,
  schema: S,
  options: ReadOptions = {},
): Promise<z.output<S> | null> {
  return (await readEntry(kv, key, schema, options)).value;
}

/** The default report of an invalid value: one warning line naming the key and the first issue. */
export function warnInvalidValue(key: Deno.KvKey, error: z.ZodError): void {
  // Old or corrupt values are expected after schema changes: warn, don't fail the request.
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join(".") : "(value)";
  console.warn(`kv: ignoring invalid value at ${JSON.stringify(key)}: ${where}: ${issue?.message}`);
}
