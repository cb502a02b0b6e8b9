import assert from "node:assert/strict";
import {
  DIRECTIVES,
  hostileBlueprint,
  offlineBlueprint,
  PAYLOAD,
} from "../../tests/support/blueprint_fixtures.ts";
import { blueprintMarkdown, mdFence, mdInline } from "./markdown.server.ts";

const project = { title: `Farm boxes ${PAYLOAD}`, directive: PAYLOAD, slug: "farm-boxes" };

/** The document outside fenced code blocks (whose content renderers always show as text). */
function outsideFences(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "");
}

Deno.test("mdInline neutralises HTML, links and block syntax", () => {
  const cases: [string, string][] = [
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"],
    ["# not a heading", "\\# not a heading"],
    ["1. not a list", "1\\. not a list"],
    ["- not a bullet", "\\- not a bullet"],
    ["a | b", "a \\| b"],
    ["line\n\n<b>two</b>", "line &lt;b&gt;two&lt;/b&gt;"],
    ["Tom & Jerry's `x` *y* _z_", "Tom &amp; Jerry's \\`x\\` \\*y\\* \\_z\\_"],
  ];
  for (const [input, expected] of cases) assert.equal(mdInline(input), expected);
});

Deno.test("mdFence is longer than any backtick run in the content", () => {
  const fenced = mdFence("```\ninner\n````\n", "ts<script>");
  assert.ok(fenced.startsWith("`````ts\n"), fenced);
  assert.ok(fenced.endsWith("\n`````"), fenced);
});

Deno.test("a hostile blueprint exports to Markdown with no live HTML or links", () => {
  const markdown = blueprintMarkdown({ project, stages: hostileBlueprint() });
  const prose = outsideFences(markdown);
  assert.ok(!prose.includes("<"), "raw < outside code fences");
  assert.ok(!/(?<!\\)\]\(/.test(prose), "unescaped link syntax");
  assert.ok(!/^#+ .*\n\n# heading/m.test(prose), "model text started a heading");
  assert.ok(prose.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  // Code files are inlined verbatim inside fences the content cannot close.
  assert.ok(markdown.includes(`const x = "${PAYLOAD}";`));
  for (const stage of ["Product", "Brand", "Design system", "Architecture", "Code"]) {
    assert.ok(markdown.includes(`\n## ${stage}`), stage);
  }
});

Deno.test("Markdown lists code files without their content when includeCode is false", () => {
  const markdown = blueprintMarkdown({ project, stages: hostileBlueprint(), includeCode: false });
  assert.ok(markdown.includes("- src/app.ts (ts)"));
  assert.ok(!markdown.includes("const x ="));
});

Deno.test("missing stages are left out and malformed ones are named, not rendered", () => {
  const markdown = blueprintMarkdown({
    project,
    stages: { product: hostileBlueprint().product, brand: { chosenName: "<b>x</b>" } },
  });
  assert.ok(markdown.includes("## Product"));
  assert.ok(markdown.includes("## brand\n\nThis stage could not be exported"));
  assert.ok(!markdown.includes("<b>"));
  assert.ok(!markdown.includes("## Architecture"));
});

for (const directive of DIRECTIVES) {
  Deno.test(`the offline blueprint of "${directive}" exports every stage to Markdown`, () => {
    const blueprint = offlineBlueprint(directive);
    const markdown = blueprintMarkdown({
      project: { title: blueprint.product.workingName, directive, slug: "x" },
      stages: blueprint,
    });
    const texts = [
      `# ${mdInline(blueprint.product.workingName)}`,
      `## Brand — ${mdInline(blueprint.brand.chosenName)}`,
      ...blueprint.product.features.map((feature) => `##### ${mdInline(feature.title)}`),
      ...blueprint.design.screens.map((screen) => `#### ${mdInline(screen.name)}`),
      ...blueprint.architecture.dataModel.entities.map((entity) => `#### ${mdInline(entity.name)}`),
      ...blueprint.code.files.map((file) => `#### ${mdInline(file.path)}`),
    ];
    for (const text of texts) assert.ok(markdown.includes(text), text);
    assert.ok(!outsideFences(markdown).includes("<"), "raw < outside code fences");
  });
}
