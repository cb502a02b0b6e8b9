/**
 * Repair before validate (issue 12): what weaker and unconstrained models send is brought to
 * the stage's JSON schema where the intent is unambiguous, and every repair is counted. Shared
 * by every provider; driven only by the JSON schema, so it works for any stage.
 */
import { createPartialJsonParser } from "./partial_json.ts";

/** A JSON schema document (the input shape of a stage schema). */
export type JsonSchema = { [keyword: string]: unknown };

/** The repairs, by kind. */
export const REPAIR_KINDS = [
  "extracted_json",
  "salvaged_truncated",
  "decoded_json_string",
  "cleaned_text",
  "enum_case",
  "pattern_case",
  "truncated_string",
  "coerced_number",
  "clamped_number",
  "coerced_boolean",
  "coerced_string",
  "wrapped_in_list",
  "dropped_key",
  "filled_default",
  "dropped_item",
  "truncated_list",
  "unique_id",
  "repair_round_trip",
] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];

/** How often each repair was applied. */
export type RepairCounts = Partial<Record<RepairKind, number>>;

/** Total number of repairs. */
export function totalRepairs(counts: RepairCounts): number {
  return Object.values(counts).reduce((n, c) => n + (c ?? 0), 0);
}

/** Adds `more` into `into`. */
export function addRepairs(into: RepairCounts, more: RepairCounts): RepairCounts {
  for (const [kind, count] of Object.entries(more) as [RepairKind, number][]) {
    into[kind] = (into[kind] ?? 0) + count;
  }
  return into;
}

/**
 * Finds the JSON object in a model's reply: the reply itself, a fenced block, an object inside
 * prose, a JSON string holding the object, or, when the reply broke off, the complete part of
 * the object (values cut mid-way left out). Undefined when there is no object at all.
 */
export function extractJsonObject(
  text: string,
  counts: RepairCounts = {},
): Record<string, unknown> | undefined {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  const direct = tryParse(trimmed);
  if (isRecord(direct)) return direct;
  if (typeof direct === "string") {
    const inner = tryParse(direct.trim());
    if (isRecord(inner)) return count(counts, "decoded_json_string"), inner;
  }
  for (const match of trimmed.matchAll(/```[\w-]*[ \t]*\r?\n?([\s\S]*?)(?:```|$)/g)) {
    const inner = tryParse(match[1].trim());
    if (isRecord(inner)) return count(counts, "extracted_json"), inner;
  }
  let from = trimmed.indexOf("{");
  for (let tries = 0; from >= 0 && tries < 20; tries++) {
    const end = matchingBrace(trimmed, from);
    if (end < 0) break;
    const inner = tryParse(trimmed.slice(from, end + 1));
    if (isRecord(inner)) return count(counts, "extracted_json"), inner;
    from = trimmed.indexOf("{", from + 1);
  }
  const parser = createPartialJsonParser();
  parser.push(trimmed);
  const partial = parser.snapshot({ completeOnly: true });
  if (partial && Object.keys(partial).length > 0) {
    count(counts, "salvaged_truncated");
    if (trimmed.indexOf("{") > 0) count(counts, "extracted_json");
    return partial;
  }
  return undefined;
}

/** Repairs `value` towards `schema` (a new value; the input is not changed). */
export function repairValue(value: unknown, schema: JsonSchema, counts: RepairCounts): unknown {
  const resolve = (node: JsonSchema): JsonSchema => {
    for (let depth = 0; depth < 32; depth++) {
      const ref = node.$ref;
      if (typeof ref !== "string") return node;
      if (ref === "#") return schema;
      const [, container, name] = ref.match(/^#\/(\$defs|definitions)\/(.+)$/) ?? [];
      const defs = container ? schema[container] : undefined;
      if (!isRecord(defs) || !isRecord(defs[name])) return node;
      node = defs[name] as JsonSchema;
    }
    return node;
  };
  const valid = (current: unknown, node: JsonSchema) => conforms(current, node, resolve);

  const walk = (current: unknown, rawNode: JsonSchema): unknown => {
    const node = resolve(rawNode);
    if (typeof current === "string") current = cleanText(current, counts);
    if (Array.isArray(node.anyOf)) {
      const branches = (node.anyOf as JsonSchema[]).map(resolve);
      if (current === null && branches.some(allowsNull)) return null;
      const typed = branches.find((b) => !allowsNull(b) && typeMatches(current, b)) ??
        branches.find((b) => !allowsNull(b));
      return typed ? walk(current, typed) : current;
    }
    const type = typeOf(node);
    if (type === "object" || isRecord(node.properties)) return walkObject(current, node);
    if (type === "array") return walkArray(current, node);
    if (type === "string" || Array.isArray(node.enum)) return walkString(current, node);
    if (type === "number" || type === "integer") return walkNumber(current, node, type);
    if (type === "boolean") return walkBoolean(current);
    return current;
  };

  const walkObject = (current: unknown, node: JsonSchema): unknown => {
    if (typeof current === "string") {
      const decoded = tryParse(current.trim());
      if (isRecord(decoded)) {
        count(counts, "decoded_json_string");
        current = decoded;
      }
    }
    if (!isRecord(current)) return current;
    const properties = (isRecord(node.properties) ? node.properties : {}) as Record<
      string,
      JsonSchema
    >;
    const open = node.additionalProperties !== undefined && node.additionalProperties !== false;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(current)) {
      const child = properties[key];
      if (!child) {
        if (open) {
          out[key] = isRecord(node.additionalProperties)
            ? walk(item, node.additionalProperties as JsonSchema)
            : item;
        } else count(counts, "dropped_key");
        continue;
      }
      out[key] = walk(item, child);
    }
    const required = Array.isArray(node.required) ? node.required as string[] : [];
    for (const key of required) {
      if (out[key] !== undefined && out[key] !== null) continue;
      const child = properties[key] ? resolve(properties[key]) : undefined;
      if (!child) continue;
      if (out[key] === null && allowsNull(child)) continue;
      const fill = defaultFor(child, resolve);
      if (fill !== undefined) {
        out[key] = fill.value;
        count(counts, "filled_default");
      }
    }
    return out;
  };

  const walkArray = (current: unknown, node: JsonSchema): unknown => {
    const items = isRecord(node.items) ? node.items as JsonSchema : undefined;
    if (typeof current === "string" && /^\s*\[/.test(current)) {
      const decoded = tryParse(current.trim());
      if (Array.isArray(decoded)) {
        count(counts, "decoded_json_string");
        current = decoded;
      }
    }
    if (!Array.isArray(current)) {
      if (current !== null && current !== undefined && items && valid(current, items)) {
        count(counts, "wrapped_in_list");
        current = [current];
      } else return current;
    }
    let list = current as unknown[];
    if (items) list = list.map((item) => walk(item, items));
    const min = typeof node.minItems === "number" ? node.minItems : 0;
    const max = typeof node.maxItems === "number" ? node.maxItems : Infinity;
    if (items) {
      const kept = list.filter((item) => valid(item, items));
      // Keep what is valid, as long as the list's minimum still holds.
      if (kept.length < list.length && kept.length >= min) {
        count(counts, "dropped_item", list.length - kept.length);
        list = kept;
      }
    }
    if (list.length > max) {
      count(counts, "truncated_list", list.length - max);
      list = list.slice(0, max);
    }
    const idNode = items ? resolve(items) : undefined;
    const idSchema = isRecord(idNode?.properties)
      ? (idNode!.properties as Record<string, JsonSchema>).id
      : undefined;
    if (idSchema) list = uniqueIds(list, resolve(idSchema), counts);
    return list;
  };

  const walkString = (current: unknown, node: JsonSchema): unknown => {
    if (
      (typeof current === "number" || typeof current === "boolean") && typeOf(node) === "string"
    ) {
      count(counts, "coerced_string");
      current = String(current);
    }
    if (typeof current !== "string") return current;
    let text = current;
    if (Array.isArray(node.enum)) {
      const options = node.enum as unknown[];
      if (!options.includes(text)) {
        const folded = foldEnum(text);
        const match = options.find((option) =>
          typeof option === "string" && foldEnum(option) === folded
        );
        if (match !== undefined) {
          count(counts, "enum_case");
          return match;
        }
      }
      return text;
    }
    if (typeof node.pattern === "string") {
      const pattern = compile(node.pattern);
      if (pattern && !pattern.test(text)) {
        const candidate = [text.trim(), text.trim().toLowerCase(), text.trim().toUpperCase()]
          .find((c) => pattern.test(c));
        if (candidate !== undefined) {
          count(counts, "pattern_case");
          text = candidate;
        }
      }
    }
    if (typeof node.maxLength === "number" && text.length > node.maxLength) {
      count(counts, "truncated_string");
      text = cutText(text, node.maxLength);
    }
    return text;
  };

  const walkNumber = (current: unknown, node: JsonSchema, type: string): unknown => {
    let number = current;
    if (typeof number === "string" && number.trim() !== "") {
      const parsed = Number(number.trim().replace(/^\+/, ""));
      if (Number.isFinite(parsed)) {
        count(counts, "coerced_number");
        number = parsed;
      }
    }
    if (typeof number !== "number" || !Number.isFinite(number)) return number;
    if (type === "integer" && !Number.isInteger(number)) {
      count(counts, "coerced_number");
      number = Math.round(number);
    }
    let n = number as number;
    const min = typeof node.minimum === "number" ? node.minimum : undefined;
    const max = typeof node.maximum === "number" ? node.maximum : undefined;
    if (min !== undefined && n < min) n = min;
    if (max !== undefined && n > max) n = max;
    if (n !== number) count(counts, "clamped_number");
    return n;
  };

  const walkBoolean = (current: unknown): unknown => {
    if (typeof current === "string") {
      const word = current.trim().toLowerCase();
      if (word === "true" || word === "yes") return count(counts, "coerced_boolean"), true;
      if (word === "false" || word === "no") return count(counts, "coerced_boolean"), false;
    }
    return current;
  };

  return walk(value, schema);
}

/**
 * Cuts `text` to at most `max` characters: at a line break for multi-line text (code), at a
 * word boundary with an ellipsis for prose, and exactly for identifiers (no spaces).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const safe = (at: number) => {
    // Never split a surrogate pair.
    const code = text.charCodeAt(at - 1);
    return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
  };
  if (text.includes("\n")) {
    const cut = text.lastIndexOf("\n", max);
    if (cut >= max / 2) return text.slice(0, cut);
  }
  if (/\s/.test(text.slice(0, max)) && max >= 2) {
    const head = text.slice(0, safe(max - 1));
    // The head already ends at a word when the next character is a space.
    const space = /\s/.test(text[head.length] ?? "") ? head.length : head.search(/\s\S*$/);
    const body = (space >= max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.\-–—]+$/, "");
    return body + "…";
  }
  return text.slice(0, safe(max));
}

/** Removes NUL and other C0 controls except tab/newline/return; replaces lone surrogates. */
function cleanText(text: string, counts: RepairCounts): string {
  // deno-lint-ignore no-control-regex
  const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
  let out = text;
  if (controls.test(out)) out = out.replace(controls, "");
  if (!out.isWellFormed()) out = out.toWellFormed();
  if (out !== text) count(counts, "cleaned_text");
  return out;
}

/** Makes the `id` of every object in `list` unique, suffixing repeats ("f1", "f1-2"). */
function uniqueIds(list: unknown[], idSchema: JsonSchema, counts: RepairCounts): unknown[] {
  const seen = new Set<string>();
  const max = typeof idSchema.maxLength === "number" ? idSchema.maxLength : 64;
  return list.map((item) => {
    if (!isRecord(item) || typeof item.id !== "string") return item;
    let id = item.id;
    for (let n = 2; seen.has(id); n++) {
      const suffix = `-${n}`;
      id = item.id.slice(0, Math.max(1, max - suffix.length)) + suffix;
    }
    seen.add(id);
    if (id === item.id) return item;
    count(counts, "unique_id");
    return { ...item, id };
  });
}

/** A value to fill a missing required property with: null, the default, or an empty list. */
function defaultFor(
  node: JsonSchema,
  resolve: (node: JsonSchema) => JsonSchema,
): { value: unknown } | undefined {
  if ("default" in node) return { value: structuredClone(node.default) };
  if (allowsNull(node)) return { value: null };
  if (Array.isArray(node.anyOf) && (node.anyOf as JsonSchema[]).map(resolve).some(allowsNull)) {
    return { value: null };
  }
  if (typeOf(node) === "array" && (typeof node.minItems !== "number" || node.minItems === 0)) {
    return { value: [] };
  }
  return undefined;
}

/** Whether `value` meets `node` for the keywords the stage schemas use (zod decides at the end). */
function conforms(
  value: unknown,
  rawNode: JsonSchema,
  resolve: (node: JsonSchema) => JsonSchema,
): boolean {
  const node = resolve(rawNode);
  if (Array.isArray(node.anyOf)) {
    return (node.anyOf as JsonSchema[]).some((branch) => conforms(value, branch, resolve));
  }
  if (Array.isArray(node.enum) && !node.enum.includes(value)) return false;
  if ("const" in node && node.const !== value) return false;
  if (!typeMatches(value, node)) return false;
  if (typeof value === "string") {
    if (typeof node.minLength === "number" && value.length < node.minLength) return false;
    if (typeof node.maxLength === "number" && value.length > node.maxLength) return false;
    if (typeof node.pattern === "string" && compile(node.pattern)?.test(value) === false) {
      return false;
    }
  } else if (typeof value === "number") {
    if (typeof node.minimum === "number" && value < node.minimum) return false;
    if (typeof node.maximum === "number" && value > node.maximum) return false;
    if (typeof node.exclusiveMinimum === "number" && value <= node.exclusiveMinimum) return false;
    if (typeof node.exclusiveMaximum === "number" && value >= node.exclusiveMaximum) return false;
  } else if (Array.isArray(value)) {
    if (typeof node.minItems === "number" && value.length < node.minItems) return false;
    if (typeof node.maxItems === "number" && value.length > node.maxItems) return false;
    if (isRecord(node.items)) {
      const items = node.items as JsonSchema;
      if (!value.every((item) => conforms(item, items, resolve))) return false;
    }
  } else if (isRecord(value)) {
    const properties = (isRecord(node.properties) ? node.properties : {}) as Record<
      string,
      JsonSchema
    >;
    const required = Array.isArray(node.required) ? node.required as string[] : [];
    for (const key of required) if (value[key] === undefined) return false;
    for (const [key, item] of Object.entries(value)) {
      if (properties[key] && !conforms(item, properties[key], resolve)) return false;
    }
  }
  return true;
}

function typeOf(node: JsonSchema): string | undefined {
  if (typeof node.type === "string") return node.type;
  if (Array.isArray(node.type)) return node.type.find((t) => t !== "null") as string | undefined;
  return undefined;
}

/** Whether a JSON value has one of the schema node's types (any, when it names none). */
export function typeMatches(value: unknown, node: JsonSchema): boolean {
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : undefined;
  if (!types) return true;
  const actual = value === null
    ? "null"
    : Array.isArray(value)
    ? "array"
    : typeof value === "number"
    ? Number.isInteger(value) ? "integer" : "number"
    : typeof value;
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

/** Whether the schema node accepts null (directly or through `anyOf`). */
export function allowsNull(node: JsonSchema): boolean {
  if (node.type === "null") return true;
  if (Array.isArray(node.type) && node.type.includes("null")) return true;
  return Array.isArray(node.anyOf) && (node.anyOf as JsonSchema[]).some(allowsNull);
}

/** Enum spellings compared without case, spaces, underscores or hyphens ("Rounded Square"). */
function foldEnum(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, "");
}

const patterns = new Map<string, RegExp | null>();
function compile(source: string): RegExp | null {
  if (!patterns.has(source)) {
    try {
      patterns.set(source, new RegExp(source, "u"));
    } catch {
      patterns.set(source, null);
    }
  }
  return patterns.get(source)!;
}

/** The index of the `}` that closes the `{` at `from`, reading strings correctly; -1 if none. */
function matchingBrace(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return i;
  }
  return -1;
}

function tryParse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function count(counts: RepairCounts, kind: RepairKind, by = 1): void {
  counts[kind] = (counts[kind] ?? 0) + by;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
