/**
 * Hostile input, issue 13 item 1: the code highlighter runs on model-written files, so a file
 * built to make it backtrack must not stall the server. Every language gets 60,000-character
 * inputs that were quadratic before (CSS word characters took 31 s, Markdown `[` 4 s): each
 * must cost a bounded number of regex attempts per character, take no more than a generous
 * multiple of an ordinary file of the same size and language (measured in the same run), and
 * come back correctly escaped with its text intact. Past the per-file time budget a file is
 * plain escaped text.
 */
import assert from "node:assert/strict";
import { highlight, highlightWithStats } from "../../app/render/highlight.server.ts";
import { escapeHtml } from "../../app/blueprint/escape.ts";
import { report } from "../support/reliability.ts";

const N = 60_000;

/** Ordinary code per language, repeated to N characters: the baseline. */
const ORDINARY: Record<string, string> = {
  ts:
    'export async function load(id: string) {\n  const row = await db.get("x", 42); // ok\n  return row ?? null;\n}\n',
  tsx: 'export default function App() {\n  return <main className="x">{count + 1}</main>;\n}\n',
  json: '{ "name": "farm", "count": 3, "ok": true, "tags": ["a", "b"] },\n',
  sql: "CREATE TABLE farms (id uuid PRIMARY KEY, name text NOT NULL DEFAULT 'x'); -- t\n",
  css: ":root { --brand: #3a36d6; }\n.card { padding: 8px 1rem; color: var(--brand); }\n",
  html: '<section class="hero"><a href="/x">Hi &amp; bye</a><!-- c --></section>\n',
  md:
    "## Setup\n\n- run `deno task start` and open [the app](http://localhost:8000)\n- **bold** text\n",
  sh: '# setup\nexport PORT=8000\necho "$PORT" --verbose ${HOME} && deno task start\n',
  yaml: "services:\n  web:\n    image: atlas9 # app\n    ports: ['8000:8000']\n    debug: true\n",
};

/** Repeated units that made some tokenizer rescan (found by fuzzing the rules). */
const HOSTILE_UNITS = [
  "a", // CSS: 60,000 word characters (31 s before)
  "[", // Markdown: 60,000 `[` (4–5 s before)
  "a(",
  "a:",
  "a=",
  "[a](",
  "`",
  "**",
  "__a",
  "&",
  "&#",
  "1",
  "0x",
  "-",
  "<",
  "<!--",
  '"',
  "'",
  "${",
  "#",
  "é",
];

function fill(unit: string): string {
  return unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
}

/** The text of highlighted HTML with our spans removed and entities decoded. */
function plainText(html: string): string {
  return html.replace(/<span class="tok-[a-z]+">|<\/span>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function timed(code: string, language: string) {
  const start = performance.now();
  // No time budget: this measures the algorithm, not the fallback.
  const result = highlightWithStats(code, language, { budgetMs: Infinity });
  return { ...result, ms: performance.now() - start };
}

Deno.test("hostile highlight: 60,000-character inputs are linear in every language", () => {
  let worst = { ms: 0, ratio: 0, language: "", unit: "" };
  let cases = 0;
  for (const [language, sample] of Object.entries(ORDINARY)) {
    const ordinary = fill(sample);
    timed(ordinary, language); // warm up the regexes
    const base = timed(ordinary, language);
    assert.equal(plainText(base.html), ordinary);
    for (const unit of HOSTILE_UNITS) {
      const code = fill(unit);
      const run = timed(code, language);
      cases++;
      // Correct and escaped: the text is intact and the only markup is our spans.
      assert.equal(plainText(run.html), code, `${language} ${unit}: text changed`);
      const withoutSpans = run.html.replace(/<span class="tok-[a-z]+">|<\/span>/g, "");
      assert(!/[<>"']/.test(withoutSpans), `${language} ${unit}: raw markup`);
      // Work: at most one attempt per rule (and the plain-text run) per token.
      assert(run.steps <= 14 * N, `${language} ${unit}: ${run.steps} regex attempts`);
      // Time: generous, relative to an ordinary file of the same size in the same run
      // (the quadratic tokenizers took seconds to tens of seconds here).
      const bound = 25 * base.ms + 250;
      assert(
        run.ms < bound,
        `${language} ${JSON.stringify(unit)}: ${run.ms.toFixed(0)} ms, ordinary ${
          base.ms.toFixed(0)
        } ms`,
      );
      if (run.ms > worst.ms) {
        worst = { ms: run.ms, ratio: run.ms / Math.max(base.ms, 0.01), language, unit };
      }
    }
  }
  report(
    "highlight worst 60,000-char hostile file",
    `${worst.ms.toFixed(1)} ms (${worst.language} ${JSON.stringify(worst.unit)}, ${
      worst.ratio.toFixed(1)
    }× an ordinary file; ${cases} cases)`,
  );
});

Deno.test("hostile highlight: past its time budget a file is plain escaped text", () => {
  let clock = 0;
  const code = fill('<a href="x">'); // many tokens
  const result = highlightWithStats(code, "html", { budgetMs: 50, now: () => clock++ });
  assert.equal(result.fallback, "budget");
  assert.equal(result.html, escapeHtml(code));
  // Within budget the same file is highlighted.
  const within = highlightWithStats(code, "html", { budgetMs: Infinity });
  assert.equal(within.fallback, null);
  assert.match(within.html, /<span class="tok-tag">&lt;a<\/span>/);
  assert.equal(highlight("a < b", "css"), "a &lt; b");
});
