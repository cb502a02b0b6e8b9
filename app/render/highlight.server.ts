/**
 * A small server-side syntax highlighter for the code stage (no client-side library).
 * Each language is a list of sticky regex rules tried in order at each position; every
 * token's text is HTML-escaped before it is wrapped in `<span class="tok-…">`, and the
 * only markup in the result is those spans.
 *
 * Linear by construction (the input is model output, so hostile): a rule either consumes
 * everything it scans (`\s+`, a string whose closing quote is optional, a comment running to
 * the end) or it can fail after scanning, and then every quantifier in it is bounded by
 * `REACH` characters, so one failed attempt costs O(REACH). When no rule matches, a whole
 * run of word characters becomes plain text at once, so a long word is never re-scanned
 * from each of its characters. Each file also has a time budget (`budgetMs`): past it the
 * file is shown as escaped plain text.
 */
import { escapeHtml } from "../blueprint/escape.ts";

/** Token classes the stylesheet colours. */
export type TokenClass = "kw" | "str" | "com" | "num" | "fn" | "type" | "tag" | "attr";

interface Rule {
  re: RegExp;
  cls: TokenClass | null | ((match: RegExpExecArray) => TokenClass | null);
  /** Only at the start of a line (Markdown headings, lists). */
  lineStart?: boolean;
  /** Only at the start of the input or after whitespace (shell comments). */
  afterSpace?: boolean;
}

/**
 * The most characters a rule that can fail (a lookahead, a required closing delimiter) may
 * scan. Tokens longer than this are still shown, as plain text.
 */
export const REACH = 256;

/** Default time budget for highlighting one file; past it the file is plain text. */
export const HIGHLIGHT_FILE_BUDGET_MS = 100;

const words = (list: string) => new Set(list.split(" "));

const JS_KEYWORDS = words(
  "abstract as async await break case catch class const continue debugger declare default delete do else enum export extends finally for from function get if implements import in instanceof interface keyof let namespace new of private protected public readonly return satisfies set static super switch this throw try type typeof var void while with yield",
);
const JS_LITERALS = words("true false null undefined NaN Infinity");
const SQL_KEYWORDS = words(
  "add all alter and as asc begin by cascade case check commit constraint create cross default delete desc distinct do drop else end exists extension foreign from full grant group having if in index inner insert into is join key left like limit not null offset on or order outer primary references returning right rollback select set table then to transaction trigger union unique update using values view when where with",
);
const SQL_TYPES = words(
  "bigint bigserial boolean bool char date decimal double float int integer interval json jsonb numeric real serial smallint text time timestamp timestamptz uuid varchar precision zone",
);
const SH_KEYWORDS = words(
  "if then else elif fi for while until do done case esac in function return export local readonly set unset source exit cd echo",
);

const ident =
  (keywords: Set<string>, options: { caseless?: boolean; types?: Set<string> } = {}) =>
  (
    match: RegExpExecArray,
  ): TokenClass | null => {
    const word = options.caseless ? match[0].toLowerCase() : match[0];
    if (keywords.has(word)) return "kw";
    if (options.types?.has(word)) return "type";
    if (JS_LITERALS.has(match[0])) return "num";
    if (match[1] !== undefined) return "fn";
    if (!options.caseless && /^[A-Z][a-z0-9]/.test(match[0])) return "type";
    return null;
  };

const SPACE: Rule = { re: /\s+/y, cls: null };
const DQ: Rule = { re: /"(?:[^"\\\n]|\\.)*"?/y, cls: "str" };
const SQ: Rule = { re: /'(?:[^'\\\n]|\\.)*'?/y, cls: "str" };
const NUM: Rule = {
  re: /\b(?:0[xX][\da-fA-F_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?n?)\b/y,
  cls: "num",
};
const BLOCK_COMMENT: Rule = { re: /\/\*[\s\S]*?(?:\*\/|$)/y, cls: "com" };

const JS: Rule[] = [
  SPACE,
  { re: /\/\/[^\n]*/y, cls: "com" },
  BLOCK_COMMENT,
  DQ,
  SQ,
  { re: /`(?:[^`\\]|\\[\s\S])*`?/y, cls: "str" },
  NUM,
  { re: /[A-Za-z_$][\w$]*(?=(\s{0,256}\()|)/y, cls: ident(JS_KEYWORDS) },
];

const JSX: Rule[] = [
  ...JS.slice(0, 6),
  { re: /<\/?[A-Za-z][\w.:-]*/y, cls: "tag" },
  { re: /\/?>/y, cls: null },
  ...JS.slice(6),
];

const JSON_RULES: Rule[] = [
  SPACE,
  { re: /"(?:[^"\\\n]|\\.){0,256}"(?=\s{0,256}:)/y, cls: "attr" },
  DQ,
  { re: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y, cls: "num" },
  { re: /\b(?:true|false|null)\b/y, cls: "num" },
];

const SQL: Rule[] = [
  SPACE,
  { re: /--[^\n]*/y, cls: "com" },
  BLOCK_COMMENT,
  { re: /'(?:[^']|'')*'?/y, cls: "str" },
  { re: /"[^"\n]*"?/y, cls: "attr" },
  NUM,
  {
    re: /[A-Za-z_][\w$]*(?=(\s{0,256}\()|)/y,
    cls: ident(SQL_KEYWORDS, { caseless: true, types: SQL_TYPES }),
  },
];

const CSS: Rule[] = [
  SPACE,
  BLOCK_COMMENT,
  DQ,
  SQ,
  { re: /@[\w-]+/y, cls: "kw" },
  { re: /--[\w-]+/y, cls: "attr" },
  { re: /#[\da-fA-F]{3,8}\b/y, cls: "num" },
  { re: /-?(?:\d*\.)?\d+(?:px|rem|em|%|s|ms|vh|vw|deg|fr|ch)?\b/y, cls: "num" },
  { re: /[\w-]{1,256}(?=\()/y, cls: "fn" },
  { re: /[a-z-]{1,256}(?=\s{0,256}:[^:])/y, cls: "attr" },
  { re: /[.#][A-Za-z_][\w-]*/y, cls: "type" },
];

const HTML: Rule[] = [
  SPACE,
  { re: /<!--[\s\S]*?(?:-->|$)/y, cls: "com" },
  { re: /<![A-Za-z][^>]*>?/y, cls: "kw" },
  { re: /<\/?[A-Za-z][\w:-]*/y, cls: "tag" },
  { re: /\/?>/y, cls: "tag" },
  { re: /[\w:-]{1,256}(?==)/y, cls: "attr" },
  DQ,
  SQ,
  { re: /&#?\w{1,32};/y, cls: "num" },
  { re: /[^\s<>&"'=]+/y, cls: null },
];

const MD: Rule[] = [
  { re: /```[\s\S]*?(?:```|$)/y, cls: "str", lineStart: true },
  { re: /#{1,6}[ \t][^\n]*/y, cls: "kw", lineStart: true },
  { re: /[ \t]{0,256}(?:[-*+]|\d{1,9}\.)(?=[ \t])/y, cls: "kw", lineStart: true },
  { re: />[^\n]*/y, cls: "com", lineStart: true },
  SPACE,
  { re: /`[^`\n]{0,256}`/y, cls: "str" },
  { re: /\*\*[^*\n]{1,256}\*\*|__[^_\n]{1,256}__/y, cls: "type" },
  // Link text holds no `[` and the target no `(`: a run of `[` or `[a](` fails at once.
  { re: /\[[^[\]\n]{0,256}\]\([^()\n]{0,256}\)/y, cls: "attr" },
  { re: /[^\s`*_[#>-]+/y, cls: null },
];

const SH: Rule[] = [
  SPACE,
  { re: /#[^\n]*/y, cls: "com", afterSpace: true },
  DQ,
  SQ,
  { re: /\$\{[^}\n]*\}?|\$[\w@#?$!*-]/y, cls: "attr" },
  { re: /--?[A-Za-z][\w-]*/y, cls: "attr" },
  NUM,
  { re: /[A-Za-z_][\w-]*/y, cls: ident(SH_KEYWORDS) },
];

const YAML: Rule[] = [
  SPACE,
  { re: /#[^\n]*/y, cls: "com", afterSpace: true },
  { re: /[\w.-]{1,256}(?=[ \t]{0,256}[:=])/y, cls: "attr" },
  DQ,
  SQ,
  { re: /\b(?:true|false|null|yes|no)\b/y, cls: "num" },
  NUM,
  { re: /[^\s#"':=]+/y, cls: null },
];

const RULES: Record<string, Rule[]> = {
  ts: JS,
  js: JS,
  tsx: JSX,
  json: JSON_RULES,
  sql: SQL,
  css: CSS,
  html: HTML,
  md: MD,
  sh: SH,
  yaml: YAML,
};

const ALIASES: Record<string, string> = {
  typescript: "ts",
  javascript: "js",
  mjs: "js",
  cjs: "js",
  mts: "ts",
  jsx: "tsx",
  svg: "html",
  xml: "html",
  htm: "html",
  markdown: "md",
  shell: "sh",
  bash: "sh",
  zsh: "sh",
  yml: "yaml",
  toml: "yaml",
  env: "yaml",
  dotenv: "yaml",
  postgres: "sql",
  postgresql: "sql",
  psql: "sql",
  jsonc: "json",
};

/** The highlighter's language for a file: its declared language, else its extension. */
export function languageOf(path: string, declared = ""): string {
  const pick = (value: string) => {
    const lower = value.toLowerCase().trim();
    const key = ALIASES[lower] ?? lower;
    return key in RULES ? key : undefined;
  };
  const base = path.split("/").pop() ?? "";
  const ext = base.startsWith(".env") ? "env" : base.includes(".") ? base.split(".").pop()! : "";
  return pick(declared) ?? pick(ext) ?? "text";
}

/** Plain text when no rule matches: a whole run of word characters, else one character. */
const PLAIN_RUN = /[\w$]+|[\s\S]/y;
const CSS_PLAIN_RUN = /[\w$-]+|[\s\S]/y;

export interface HighlightOptions {
  /** Time budget for this file in ms (default `HIGHLIGHT_FILE_BUDGET_MS`). */
  budgetMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export interface HighlightResult {
  html: string;
  /** Regex attempts made: at most (rules + 1) per token, so linear in the input. */
  steps: number;
  /** Tokens produced. */
  tokens: number;
  /** Set when the time budget ran out and the file came back as plain text. */
  fallback: "budget" | null;
}

/**
 * Code as HTML with `<span class="tok-…">` around keywords, strings, comments and the like.
 * Unknown languages come back escaped and unwrapped; so does a file whose highlighting runs
 * past its time budget.
 */
export function highlight(code: string, language: string, options?: HighlightOptions): string {
  return highlightWithStats(code, language, options).html;
}

/** `highlight` with the work it did, for tests and the bench. */
export function highlightWithStats(
  code: string,
  language: string,
  options: HighlightOptions = {},
): HighlightResult {
  const key = ALIASES[language.toLowerCase()] ?? language.toLowerCase();
  const rules = RULES[key];
  if (!rules) return { html: escapeHtml(code), steps: 0, tokens: 0, fallback: null };
  const plainRun = key === "css" ? CSS_PLAIN_RUN : PLAIN_RUN;
  const now = options.now ?? (() => performance.now());
  const deadline = now() + (options.budgetMs ?? HIGHLIGHT_FILE_BUDGET_MS);
  let out = "";
  let plain = "";
  let i = 0;
  let steps = 0;
  let tokens = 0;
  const emit = (text: string, cls: TokenClass | null) => {
    tokens++;
    if (!cls) {
      plain += text;
      return;
    }
    if (plain) out += escapeHtml(plain);
    plain = "";
    out += `<span class="tok-${cls}">${escapeHtml(text)}</span>`;
  };
  next: while (i < code.length) {
    if ((tokens & 255) === 255 && now() > deadline) {
      return { html: escapeHtml(code), steps, tokens, fallback: "budget" };
    }
    for (const rule of rules) {
      if (rule.lineStart && i > 0 && code[i - 1] !== "\n") continue;
      if (rule.afterSpace && i > 0 && !/\s/.test(code[i - 1])) continue;
      steps++;
      rule.re.lastIndex = i;
      const match = rule.re.exec(code);
      if (!match || match[0].length === 0) continue;
      emit(match[0], typeof rule.cls === "function" ? rule.cls(match) : rule.cls);
      i += match[0].length;
      continue next;
    }
    steps++;
    plainRun.lastIndex = i;
    const run = plainRun.exec(code)![0];
    emit(run, null);
    i += run.length;
  }
  return { html: out + escapeHtml(plain), steps, tokens, fallback: null };
}
