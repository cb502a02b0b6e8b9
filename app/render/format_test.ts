import assert from "node:assert/strict";
import {
  fontStack,
  formatCost,
  formatDuration,
  isDiagramSvg,
  isHighlightedHtml,
  safeShadow,
  storyOpening,
} from "./format.ts";

Deno.test("fontStack quotes a cleaned family and adds a generic fallback", () => {
  assert.equal(fontStack("Inter", "system-ui, sans-serif"), '"Inter", system-ui, sans-serif');
  assert.equal(fontStack("Fraunces", "Georgia, serif"), '"Fraunces", Georgia, serif');
  assert.equal(
    fontStack("JetBrains Mono", "monospace"),
    '"JetBrains Mono", ui-monospace, monospace',
  );
  const hostile = fontStack(`x"; background:url(javascript:alert(1))`, "</style>");
  assert.ok(!/[;:()<>]/.test(hostile.replace(/^"[^"]*"/, "")), hostile);
  assert.equal(hostile.split('"').length, 3, hostile);
});

Deno.test("safeShadow lets through shadows and rejects anything else", () => {
  for (
    const good of ["0 1px 2px rgb(16 24 40 / 6%)", "0 4px 12px rgba(0,0,0,.12), 0 1px 2px #0001"]
  ) {
    assert.equal(safeShadow(good), good);
  }
  for (const bad of ["0 1px red; background:red", "url(x)", "0 0 1px var(--x)", 'a"b']) {
    assert.equal(safeShadow(bad), "none", bad);
  }
});

Deno.test("cost has 4 decimals and time switches from ms to s", () => {
  assert.equal(formatCost(0.01234), "$0.0123");
  assert.equal(formatCost(0), "$0.0000");
  assert.equal(formatCost(Number.NaN), "$0.0000");
  assert.equal(formatDuration(850.4), "850 ms");
  assert.equal(formatDuration(1234), "1.2 s");
});

Deno.test("guards accept only markup our builders emit", () => {
  assert.ok(
    isDiagramSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect/><text>a &lt; b</text></svg>'),
  );
  assert.ok(!isDiagramSvg('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>'));
  assert.ok(!isDiagramSvg('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>'));
  assert.ok(!isDiagramSvg("<img src=x onerror=alert(1)>"));
  assert.ok(isHighlightedHtml('<span class="tok-kw">const</span> a = &lt;b&gt;'));
  assert.ok(!isHighlightedHtml('<span class="tok-kw" onclick="x">const</span>'));
  assert.ok(!isHighlightedHtml("</code><script>alert(1)</script>"));
});

Deno.test("a user story opens with the right article", () => {
  assert.equal(storyOpening("local farmer"), "As a");
  assert.equal(storyOpening("admin"), "As an");
  assert.equal(storyOpening("a returning customer"), "As");
});
