/**
 * What weaker and unconstrained models do to schema-shaped JSON (issue 12), as transformations
 * of a valid output driven by the stage's JSON schema. Used by the local-server fake and by the
 * Anthropic tool-input tests; every habit here must be repaired by app/llm/repair.ts.
 */
import type { JsonSchema } from "../../app/llm/structured_output.server.ts";

/** Value habits: applied to the object before it is written as text. */
export const VALUE_HABITS = [
  /** Strings past `maxLength` (strict mode drops the limit, so the model never sees it). */
  "longStrings",
  /** Enum values in the wrong case ("p0", "CIRCLE"). */
  "enumCase",
  /** Numbers written as strings ("42"). */
  "numbersAsStrings",
  /** Keys the schema does not have. */
  "extraKeys",
  /** NUL and a lone surrogate inside prose. */
  "controlChars",
] as const;
export type ValueHabit = (typeof VALUE_HABITS)[number];

const FILLER = " and, to say it once more with feeling, in many more words than asked for";

/** Applies `habits` to a valid `value` of `schema`; returns a new value. */
export function applyHabits(
  value: unknown,
  schema: JsonSchema,
  habits: readonly ValueHabit[],
): unknown {
  const on = new Set(habits);
  let prose = 0;
  const walk = (current: unknown, node: JsonSchema): unknown => {
    if (Array.isArray(node.anyOf)) {
      const branch = (node.anyOf as JsonSchema[]).find((b) => b.type !== "null");
      return current === null || !branch ? current : walk(current, branch);
    }
    if (Array.isArray(current)) {
      const items = node.items as JsonSchema | undefined;
      return items ? current.map((item) => walk(item, items)) : current;
    }
    if (current !== null && typeof current === "object") {
      const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(current)) {
        out[key] = properties[key] ? walk(item, properties[key]) : item;
      }
      if (on.has("extraKeys")) out.modelNotes = "An extra key the schema does not have.";
      return out;
    }
    if (typeof current === "string") {
      if (Array.isArray(node.enum)) {
        if (!on.has("enumCase")) return current;
        return current === current.toLowerCase() ? current.toUpperCase() : current.toLowerCase();
      }
      const max = typeof node.maxLength === "number" ? node.maxLength : undefined;
      if (!current.includes(" ") || current.includes("\n")) return current;
      let text = current;
      prose++;
      if (on.has("controlChars") && prose % 5 === 1) text = `${text}\u0000 \ud800`;
      if (on.has("longStrings") && max !== undefined && (max <= 200 || prose % 4 === 0)) {
        while (text.length <= max + 20) text += FILLER;
      }
      return text;
    }
    if (typeof current === "number" && on.has("numbersAsStrings")) return String(current);
    return current;
  };
  return walk(value, schema);
}

/** Wraps JSON text the way chatty models do: a sentence, a markdown fence, a closing remark. */
export function fenceInProse(text: string): string {
  return `Here is the JSON you asked for:\n\n\`\`\`json\n${text}\n\`\`\`\n\nLet me know if you ` +
    "want any changes!";
}
