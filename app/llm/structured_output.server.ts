import { z } from "zod";
import type { ProviderEvent } from "./types.ts";
import { costUsd } from "./pricing.ts";
import { createPartialJsonParser } from "./partial_json.ts";
import {
  allowsNull,
  extractJsonObject,
  isRecord,
  type JsonSchema,
  type RepairCounts,
  repairValue,
  totalRepairs,
  typeMatches,
} from "./repair.ts";

export type { JsonSchema } from "./repair.ts";

/** The JSON schema of what the model must produce: the stage schema's input shape. */
export function stageJsonSchema(schema: z.ZodType): JsonSchema {
  // "input": the model writes what the schema parses (fields with defaults may be left out).
  const { $schema: _, ...document } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return describeLimits(document) as JsonSchema;
}

/**
 * Writes each string limit and pattern into the field's `description` ("at most 120
 * characters"): OpenAI strict mode drops `minLength`/`maxLength`, and many compatible servers
 * and tool-input schemas ignore them, so the model only learns them from the text.
 */
export function describeLimits(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(describeLimits);
  if (!isRecord(node)) return node;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(node)) {
    out[keyword] = keyword === "enum" || keyword === "const" || keyword === "default"
      ? value
      : keyword === "properties" || keyword === "$defs" || keyword === "definitions"
      ? Object.fromEntries(
        Object.entries(value as JsonSchema).map(([name, child]) => [name, describeLimits(child)]),
      )
      : describeLimits(value);
  }
  const limits: string[] = [];
  const chars = (n: number) => `${n} character${n === 1 ? "" : "s"}`;
  if (
    typeof node.maxLength === "number" && typeof node.minLength === "number" &&
    node.minLength > 1
  ) {
    limits.push(`${node.minLength} to ${chars(node.maxLength)}`);
  } else {
    if (typeof node.minLength === "number" && node.minLength > 0) {
      limits.push(node.minLength === 1 ? "not empty" : `at least ${chars(node.minLength)}`);
    }
    if (typeof node.maxLength === "number") limits.push(`at most ${chars(node.maxLength)}`);
  }
  if (typeof node.pattern === "string") limits.push(`must match the pattern ${node.pattern}`);
  if (limits.length > 0) {
    const text = limits.join("; ");
    out.description = typeof node.description === "string" && node.description
      ? `${node.description} (${text})`
      : `${text[0].toUpperCase()}${text.slice(1)}.`;
  }
  return out;
}

/** Keywords OpenAI structured outputs accept in strict mode (platform docs, 2025-11). */
const STRICT_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "$ref",
  "$defs",
  "definitions",
  "description",
  "title",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
]);

const STRICT_FORMATS = new Set([
  "date-time",
  "time",
  "date",
  "duration",
  "email",
  "hostname",
  "ipv4",
  "ipv6",
  "uuid",
]);

/**
 * Adapts a JSON schema to OpenAI's strict rules: every object closed with all properties
 * required, optional properties made nullable, unsupported keywords dropped (zod still validates
 * them). `strict` is false when the schema has free-form maps or `any`, which strict mode cannot
 * express; the schema is then sent unenforced and the zod validation does the work.
 */
export function toOpenAIStrictSchema(schema: JsonSchema): { schema: JsonSchema; strict: boolean } {
  let strict = true;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    if (Object.keys(node).length === 0) {
      strict = false;
      return node;
    }
    const out: JsonSchema = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === "oneOf") out.anyOf = visit(value);
      else if (keyword === "format") {
        if (typeof value === "string" && STRICT_FORMATS.has(value)) out.format = value;
      } else if (keyword === "properties" || keyword === "$defs" || keyword === "definitions") {
        out[keyword] = Object.fromEntries(
          Object.entries(value as JsonSchema).map(([name, child]) => [name, visit(child)]),
        );
      } else if (keyword === "additionalProperties") {
        if (value !== false) strict = false;
        out.additionalProperties = visit(value);
      } else if (STRICT_KEYWORDS.has(keyword)) out[keyword] = visit(value);
      else if (keyword === "allOf" || keyword === "not" || keyword === "patternProperties") {
        strict = false;
        out[keyword] = visit(value);
      }
    }
    if (isRecord(out.properties)) {
      const properties = out.properties as Record<string, JsonSchema>;
      const required = new Set(Array.isArray(out.required) ? out.required as string[] : []);
      for (const [name, child] of Object.entries(properties)) {
        if (!required.has(name) && !allowsNull(child)) {
          properties[name] = { anyOf: [child, { type: "null" }] };
        }
      }
      out.required = Object.keys(properties);
      out.additionalProperties ??= false;
    }
    return out;
  };
  const converted = visit(schema) as JsonSchema;
  return strict ? { schema: converted, strict } : { schema, strict };
}

/**
 * Removes the nulls a strict-mode model writes for optional properties it leaves out (see
 * toOpenAIStrictSchema), where the original schema does not allow null, so zod sees them absent.
 */
export function dropNullsForOptional(value: unknown, schema: JsonSchema): unknown {
  const resolve = (node: JsonSchema): JsonSchema => {
    const ref = node.$ref;
    if (typeof ref !== "string") return node;
    if (ref === "#") return schema;
    const [, container, name] = ref.match(/^#\/(\$defs|definitions)\/(.+)$/) ?? [];
    const defs = container ? schema[container] : undefined;
    return isRecord(defs) && isRecord(defs[name]) ? resolve(defs[name] as JsonSchema) : node;
  };
  const walk = (current: unknown, node: JsonSchema): unknown => {
    node = resolve(node);
    if (Array.isArray(node.anyOf)) {
      const branch = (node.anyOf as JsonSchema[]).map(resolve).find((candidate) =>
        typeMatches(current, candidate)
      );
      return branch ? walk(current, branch) : current;
    }
    if (Array.isArray(current)) {
      return isRecord(node.items)
        ? current.map((item) => walk(item, node.items as JsonSchema))
        : current;
    }
    if (!isRecord(current) || !isRecord(node.properties)) return current;
    const properties = node.properties as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(node.required) ? node.required as string[] : []);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      const child = properties[key];
      if (item === null && child && !required.has(key) && !allowsNull(resolve(child))) continue;
      out[key] = child ? walk(item, child) : item;
    }
    return out;
  };
  return walk(value, schema);
}

/** The result of checking a model's final text against the stage schema. */
export type OutputCheck =
  | { ok: true; output: unknown; repairs: RepairCounts }
  | { ok: false; errors: string; repairs: RepairCounts };

/**
 * Finds, repairs (repair.ts) and validates a model's final JSON text; `repairs` counts what was
 * repaired, `errors` is a short list a model can act on when the output is still unusable.
 */
export function checkOutput(
  text: string,
  options: { schema: z.ZodType; jsonSchema: JsonSchema },
): OutputCheck {
  const repairs: RepairCounts = {};
  const parsed = extractJsonObject(text, repairs);
  const notJson = () => {
    let reason = "no JSON object found";
    try {
      JSON.parse(text);
    } catch (error) {
      reason = (error as Error).message;
    }
    return `The reply is not valid JSON (${reason}).`;
  };
  if (parsed === undefined) return { ok: false, errors: notJson(), repairs };
  const repaired = repairValue(
    dropNullsForOptional(parsed, options.jsonSchema),
    options.jsonSchema,
    repairs,
  );
  const result = options.schema.safeParse(repaired);
  if (result.success) return { ok: true, output: result.data, repairs };
  const issues = result.error.issues.slice(0, 20).map((issue) =>
    `- ${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`
  );
  const more = result.error.issues.length - issues.length;
  // A cut-off or malformed reply: say so first, then what its readable part lacks.
  const head = repairs.salvaged_truncated ? [`${notJson()} What could be read of it:`] : [];
  return {
    ok: false,
    errors: [...head, ...issues, ...(more > 0 ? [`- and ${more} more`] : [])].join("\n"),
    repairs,
  };
}

export { totalRepairs };

/** The user turn that asks for a corrected object after a validation failure. */
export function repairMessage(errors: string, cut = false): string {
  if (cut) {
    return "Your previous reply was cut off at the output limit, so it is incomplete:\n" + errors +
      "\nReply again with the complete JSON object, shorter (fewer and briefer items), " +
      "and nothing else.";
  }
  return "Your previous reply does not match the required schema:\n" + errors +
    "\nReply again with the complete, corrected JSON object, and nothing else.";
}

/**
 * Turns streamed JSON text into partial objects, at most one per `intervalMs`. `text` only ever
 * grows; each call parses just the new part (partial_json.ts), never the whole text again.
 */
export function createPartialThrottle(options: { intervalMs: number; now: () => number }) {
  let lastAt = Number.NEGATIVE_INFINITY;
  let fed = 0;
  let sentAt = -1;
  let parser = createPartialJsonParser();
  return {
    /** The partial object of `text` if one is due and parseable, else undefined. */
    next(text: string): unknown {
      if (text.length < fed) {
        // Not a continuation: start over.
        parser = createPartialJsonParser();
        fed = 0;
        sentAt = -1;
      }
      if (text.length > fed) {
        parser.push(text.slice(fed));
        fed = text.length;
      }
      const at = options.now();
      if (at - lastAt < options.intervalMs || fed === sentAt) return undefined;
      const partial = parser.snapshot();
      if (partial === undefined) return undefined;
      lastAt = at;
      sentAt = fed;
      return partial;
    },
  };
}

/** Parses incomplete JSON text into the object so far; undefined when nothing usable yet. */
export function parsePartial(text: string): unknown {
  const parser = createPartialJsonParser();
  parser.push(text);
  return parser.snapshot();
}

/**
 * Replaces any line of the system prompt that a model copied into its output (prompt leak)
 * with "[redacted]", so no event carries the system prompt (docs/architecture.md §5.2).
 */
export function redactSystemPrompt<T>(value: T, systemPrompt: string): T {
  const matcher = promptMatcher(systemPrompt);
  if (!matcher) return value;
  const redactString = (text: string) => {
    matcher.lastIndex = 0;
    return matcher.test(text) ? text.replace(matcher, "[redacted]") : text;
  };
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") return redactString(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isRecord(node)) {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    }
    return node;
  };
  return walk(value) as T;
}

let lastPrompt: { text: string; matcher: RegExp | null } | undefined;

/**
 * One pattern for every line of the prompt worth redacting, matched after normalising: any run
 * of whitespace (doubled spaces, tabs, line breaks, no-break spaces) and any letter case.
 */
function promptMatcher(systemPrompt: string): RegExp | null {
  if (lastPrompt?.text === systemPrompt) return lastPrompt.matcher;
  const lines = systemPrompt.split("\n")
    .map((line) => line.replace(/^\s*- /, "").trim())
    .filter((line) => line.replace(/\s+/g, " ").length >= 24);
  const alternatives = [...new Set(lines)]
    .sort((a, b) => b.length - a.length)
    .map((line) =>
      line.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+")
    );
  const matcher = alternatives.length ? new RegExp(alternatives.join("|"), "giu") : null;
  lastPrompt = { text: systemPrompt, matcher };
  return matcher;
}

/** The `completed` event of a provider call, with its cost from the price table. */
export function completedEvent(input: {
  provider: string;
  model: string;
  output: unknown;
  tokens: { inputTokens: number; outputTokens: number };
  ttftMs: number | undefined;
  durationMs: number;
  repairs?: RepairCounts;
}): ProviderEvent {
  const { inputTokens, outputTokens } = input.tokens;
  return {
    type: "completed",
    output: input.output,
    usage: {
      provider: input.provider,
      model: input.model,
      inputTokens,
      outputTokens,
      costUsd: costUsd({ model: input.model, inputTokens, outputTokens }),
      ttftMs: Math.round(input.ttftMs ?? input.durationMs),
      durationMs: Math.round(input.durationMs),
      cached: false,
      repairs: totalRepairs(input.repairs ?? {}),
      ...(input.repairs && totalRepairs(input.repairs) > 0
        ? { repairKinds: { ...input.repairs } }
        : {}),
    },
  };
}
