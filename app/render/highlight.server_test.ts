import assert from "node:assert/strict";
import { highlight, languageOf } from "./highlight.server.ts";
import { escapeHtml } from "../blueprint/escape.ts";

/** The text of highlighted HTML with our spans removed and entities decoded. */
function plainText(html: string): string {
  return html.replace(/<span class="tok-[a-z]+">|<\/span>/g, "")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Whether `html` has a token of `cls` whose text is exactly `text`. */
function hasToken(html: string, cls: string, text: string): boolean {
  return html.includes(`<span class="tok-${cls}">${escapeHtml(text)}</span>`);
}

const CASES: { language: string; code: string; tokens: [string, string][] }[] = [
  {
    language: "ts",
    code: 'import { z } from "zod";\n// a comment\nexport const n = 42;\nfoo(Bar);',
    tokens: [["kw", "import"], ["str", '"zod"'], ["com", "// a comment"], ["num", "42"], [
      "fn",
      "foo",
    ], ["type", "Bar"]],
  },
  {
    language: "tsx",
    code: 'export default function App() { return <main className="x">{1}</main>; }',
    tokens: [["kw", "function"], ["fn", "App"], ["tag", "<main"], ["tag", "</main"], [
      "str",
      '"x"',
    ]],
  },
  {
    language: "sql",
    code:
      "CREATE TABLE farms (\n  id uuid PRIMARY KEY, -- key\n  name text NOT NULL DEFAULT 'x'\n);",
    tokens: [["kw", "CREATE"], ["kw", "PRIMARY"], ["type", "uuid"], ["com", "-- key"], [
      "str",
      "'x'",
    ]],
  },
  {
    language: "css",
    code: ":root { --brand: #3a36d6; }\n.card { padding: 8px; color: var(--brand); }",
    tokens: [["attr", "--brand"], ["num", "#3a36d6"], ["type", ".card"], ["attr", "padding"], [
      "num",
      "8px",
    ], ["fn", "var"]],
  },
  {
    language: "html",
    code: '<!doctype html>\n<a href="/x">Hi &amp; bye</a><!-- c -->',
    tokens: [["kw", "<!doctype html>"], ["tag", "<a"], ["attr", "href"], ["str", '"/x"'], [
      "num",
      "&amp;",
    ], ["com", "<!-- c -->"]],
  },
  {
    language: "json",
    code: '{ "name": "farm", "count": 3, "ok": true, "none": null }',
    tokens: [["attr", '"name"'], ["str", '"farm"'], ["num", "3"], ["num", "true"], ["num", "null"]],
  },
  {
    language: "md",
    code: "# Title\n\n- item with `code`\n\n```sh\nnpm i\n```\n",
    tokens: [["kw", "# Title"], ["kw", "-"], ["str", "`code`"], ["str", "```sh\nnpm i\n```"]],
  },
  {
    language: "sh",
    code: '# setup\nexport PORT=8000\necho "$PORT" --verbose ${HOME}',
    tokens: [["com", "# setup"], ["kw", "export"], ["str", '"$PORT"'], ["attr", "--verbose"], [
      "attr",
      "${HOME}",
    ]],
  },
];

for (const { language, code, tokens } of CASES) {
  Deno.test(`highlight ${language}: marks tokens and keeps the text`, () => {
    const html = highlight(code, language);
    for (const [cls, text] of tokens) {
      assert(hasToken(html, cls, text), `${language}: expected tok-${cls} "${text}" in ${html}`);
    }
    assert.equal(plainText(html), code);
  });
}

Deno.test("highlight escapes </script> and markup in every language", () => {
  const code =
    `const s = "</script><script>alert(1)</script>"; // </script>\n<img src=x onerror=alert(1)>`;
  for (const language of ["ts", "tsx", "js", "sql", "css", "html", "json", "md", "sh", "text"]) {
    const html = highlight(code, language);
    const withoutSpans = html.replace(/<span class="tok-[a-z]+">|<\/span>/g, "");
    assert(!/[<>]/.test(withoutSpans), `${language} left raw markup: ${html}`);
    assert.ok(html.includes("&lt;/script&gt;"));
    assert.equal(plainText(html), code);
  }
});

Deno.test("highlight of unknown languages is plain escaped text", () => {
  assert.equal(highlight("a < b && c", "cobol"), "a &lt; b &amp;&amp; c");
});

Deno.test("highlight survives unterminated strings and comments", () => {
  for (const code of ['const a = "open', "/* never closed", "`template ${x", "<!-- open"]) {
    assert.equal(plainText(highlight(code, "tsx")), code);
  }
});

Deno.test("languageOf maps declared languages and extensions", () => {
  const cases: [string, string, string][] = [
    ["src/a.ts", "typescript", "ts"],
    ["src/App.tsx", "", "tsx"],
    ["db/schema.sql", "postgresql", "sql"],
    ["README.md", "markdown", "md"],
    ["run.sh", "bash", "sh"],
    [".env.example", "", "yaml"],
    ["docker-compose.yml", "yaml", "yaml"],
    ["Makefile", "make", "text"],
  ];
  for (const [path, declared, expected] of cases) {
    assert.equal(languageOf(path, declared), expected);
  }
});
