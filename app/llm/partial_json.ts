/**
 * An incremental parser for streamed JSON: each appended piece is scanned once, so the cost of
 * a whole answer is linear in its length (the partial-json package re-parses from the start
 * every time). Text before the first `{` (prose, a markdown fence) and after the object ends is
 * ignored. `snapshot()` returns a copy of the object so far.
 */

type Container =
  | { kind: "object"; value: Record<string, unknown>; key: string | undefined; expect: Expect }
  | { kind: "array"; value: unknown[]; expect: Expect };
type Expect = "key" | "colon" | "value" | "comma";

/** A parser fed with `push`; `snapshot` any time. */
export interface PartialJsonParser {
  push(piece: string): void;
  /** True once the top-level object is closed. */
  readonly done: boolean;
  /** True when the text is not JSON past the point where it started. */
  readonly broken: boolean;
  /**
   * A copy of the object so far; undefined before its `{`. With `completeOnly`, a value still
   * being written (a string or number cut mid-way) is left out.
   */
  snapshot(options?: { completeOnly?: boolean }): Record<string, unknown> | undefined;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

export function createPartialJsonParser(): PartialJsonParser {
  let root: Record<string, unknown> | undefined;
  const stack: Container[] = [];
  let done = false;
  let broken = false;
  // The token being read: a string (key or value), a number or a literal.
  let mode: "none" | "string" | "number" | "literal" = "none";
  let isKey = false;
  let buffer = "";
  let escape: string | null = null; // null, "\\" after a backslash, or "u...." collecting hex

  const top = () => stack[stack.length - 1];

  const addValue = (value: unknown) => {
    const container = top();
    if (!container) return;
    if (container.kind === "array") container.value.push(value);
    else if (container.key !== undefined) {
      container.value[container.key] = value;
      container.key = undefined;
    }
    container.expect = "comma";
  };

  const finishScalar = () => {
    if (mode === "number") {
      const number = Number(buffer);
      if (buffer === "" || !Number.isFinite(number)) broken = true;
      else addValue(number);
    } else if (mode === "literal") {
      if (buffer === "true") addValue(true);
      else if (buffer === "false") addValue(false);
      else if (buffer === "null") addValue(null);
      else broken = true;
    }
    mode = "none";
    buffer = "";
  };

  const push = (piece: string) => {
    let i = 0;
    const length = piece.length;
    while (i < length && !done && !broken) {
      if (root === undefined) {
        const start = piece.indexOf("{", i);
        if (start < 0) return;
        root = {};
        stack.push({ kind: "object", value: root, key: undefined, expect: "key" });
        i = start + 1;
        continue;
      }
      if (mode === "string") {
        if (escape === null) {
          // Fast path: copy up to the next quote or backslash in one slice.
          let j = i;
          while (j < length) {
            const code = piece.charCodeAt(j);
            if (code === 34 || code === 92) break;
            j++;
          }
          buffer += piece.slice(i, j);
          i = j;
          if (i >= length) return;
          const ch = piece[i++];
          if (ch === "\\") escape = "\\";
          else {
            mode = "none";
            const text = buffer;
            buffer = "";
            const container = top();
            if (isKey && container?.kind === "object") {
              container.key = text;
              container.expect = "colon";
            } else addValue(text);
          }
          continue;
        }
        const ch = piece[i++];
        if (escape === "\\") {
          if (ch === "u") escape = "u";
          else {
            buffer += ESCAPES[ch] ?? ch;
            escape = null;
          }
        } else {
          escape += ch;
          if (escape.length === 5) {
            const code = parseInt(escape.slice(1), 16);
            buffer += Number.isNaN(code) ? "" : String.fromCharCode(code);
            escape = null;
          }
        }
        continue;
      }
      const ch = piece[i];
      if (mode === "number" || mode === "literal") {
        if (/[0-9a-zA-Z.+\-]/.test(ch)) {
          buffer += ch;
          i++;
          continue;
        }
        finishScalar();
        continue;
      }
      i++;
      if (ch === " " || ch === "\n" || ch === "\r" || ch === "\t") continue;
      const container = top()!;
      if (container.expect === "comma") {
        if (ch === ",") container.expect = container.kind === "object" ? "key" : "value";
        else if (ch === "}" || ch === "]") close(ch);
        else broken = true;
        continue;
      }
      if (container.expect === "colon") {
        if (ch === ":") container.expect = "value";
        else broken = true;
        continue;
      }
      if (container.expect === "key") {
        if (ch === '"') {
          mode = "string";
          isKey = true;
        } else if (ch === "}") close(ch);
        else broken = true;
        continue;
      }
      // expect === "value"
      if (ch === '"') {
        mode = "string";
        isKey = false;
      } else if (ch === "{") {
        const value: Record<string, unknown> = {};
        addValue(value);
        stack.push({ kind: "object", value, key: undefined, expect: "key" });
      } else if (ch === "[") {
        const value: unknown[] = [];
        addValue(value);
        stack.push({ kind: "array", value, expect: "value" });
      } else if (ch === "]" && container.kind === "array") close(ch);
      else if (/[-0-9]/.test(ch)) {
        mode = "number";
        buffer = ch;
      } else if (ch === "t" || ch === "f" || ch === "n") {
        mode = "literal";
        buffer = ch;
      } else broken = true;
    }
  };

  const close = (ch: string) => {
    const container = stack.pop()!;
    if ((ch === "}") !== (container.kind === "object")) broken = true;
    if (stack.length === 0) done = true;
  };

  const snapshot = (options: { completeOnly?: boolean } = {}) => {
    if (root === undefined) return undefined;
    let pending: { value: unknown } | undefined;
    if (!options.completeOnly && !done) {
      if (mode === "string" && !isKey) pending = { value: buffer };
      else if (mode === "number" && Number.isFinite(Number(buffer))) {
        pending = { value: Number(buffer) };
      }
    }
    const innermost = top();
    const copy = (node: unknown): unknown => {
      if (Array.isArray(node)) {
        const out = node.map(copy);
        if (pending && innermost?.value === node) out.push(pending.value);
        return out;
      }
      if (node !== null && typeof node === "object") {
        const out: Record<string, unknown> = {};
        for (const [key, item] of Object.entries(node)) out[key] = copy(item);
        if (
          pending && innermost?.kind === "object" && innermost.value === node &&
          innermost.key !== undefined
        ) out[innermost.key] = pending.value;
        return out;
      }
      return node;
    };
    return copy(root) as Record<string, unknown>;
  };

  return {
    push,
    get done() {
      return done;
    },
    get broken() {
      return broken;
    },
    snapshot,
  };
}
