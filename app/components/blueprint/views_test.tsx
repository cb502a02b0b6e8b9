import assert from "node:assert/strict";
import type { ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { STAGE_NAMES } from "../../blueprint/stages.ts";
import { ArchitectureView } from "./architecture-view.tsx";
import { BrandView } from "./brand-view.tsx";
import { CodeView, fileTree } from "./code-view.tsx";
import { DesignView } from "./design-view.tsx";
import { prepareStageExtras } from "../../render/extras.server.ts";
import { StageMeta } from "./stage-meta.tsx";
import { StageSkeleton } from "./stage-skeleton.tsx";
import { StageView, type StageViewProps } from "./stage-view.tsx";
import {
  asHtml,
  assertInertHtml,
  DIRECTIVES,
  hostileBlueprint,
  offlineBlueprint,
} from "../../../tests/support/blueprint_fixtures.ts";

/** Renders on the server, failing on any React warning (bad nesting, duplicate keys, ...). */
function render(element: ReactElement): string {
  const original = console.error;
  const errors: unknown[] = [];
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    return renderToString(element);
  } finally {
    console.error = original;
    assert.deepEqual(errors, [], "React reported errors while rendering");
  }
}

for (const directive of DIRECTIVES) {
  Deno.test(`every view renders the offline blueprint of "${directive}"`, () => {
    const blueprint = offlineBlueprint(directive);
    const html: Record<string, string> = {};
    for (const stage of STAGE_NAMES) {
      const output = blueprint[stage];
      const extras = prepareStageExtras(stage, output as never, {
        palette: blueprint.brand.palette,
      });
      const view = { stage, output, extras } as StageViewProps;
      html[stage] = render(<StageView view={view} blueprint={blueprint} />);
      assertInertHtml(html[stage], stage);
    }
    const shows = (stage: string, texts: string[]) => {
      for (const text of texts) assert.ok(html[stage].includes(asHtml(text)), `${stage}: ${text}`);
    };
    shows("product", [
      blueprint.product.workingName,
      ...blueprint.product.features.map((f) => f.title),
    ]);
    shows("brand", [blueprint.brand.chosenName, blueprint.brand.tagline]);
    shows("design", blueprint.design.screens.map((screen) => screen.name));
    shows("architecture", [
      ...blueprint.architecture.dataModel.entities.map((entity) => entity.name),
      ...blueprint.architecture.endpoints.map((endpoint) => endpoint.path),
    ]);
    shows("code", blueprint.code.files.map((file) => file.path.split("/").pop()!));
    // Every screen has its wireframe and the data model its diagram, inlined as SVG.
    assert.equal(
      html.design.match(/<svg /g)?.length,
      blueprint.design.screens.length,
      "one wireframe per screen",
    );
    assert.ok(html.architecture.includes('aria-label="Entity-relationship diagram'));
    assert.ok(html.code.includes('<span class="tok-kw">'), "code is highlighted");
  });
}

for (const stage of STAGE_NAMES) {
  Deno.test(`${stage} view of a hostile blueprint renders every payload as inert text`, () => {
    const blueprint = hostileBlueprint();
    const output = blueprint[stage];
    const extras = prepareStageExtras(stage, output as never, { palette: blueprint.brand.palette });
    const view = { stage, output, extras } as StageViewProps;
    const html = render(<StageView view={view} blueprint={blueprint} />);
    assertInertHtml(html, stage);
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), `${stage} shows the text`);
  });
}

Deno.test("brand colours are strict hex or grey, font names cannot leave the style", () => {
  const brand = hostileBlueprint().brand;
  const palette = { ...brand.palette, primary: "red;background:url(javascript:alert(1))" };
  const html = render(<BrandView brand={{ ...brand, palette }} />);
  const styles = [...html.matchAll(/style="([^"]*)"/g)].map((match) => match[1]);
  assert.ok(!styles.some((style) => style.includes("url(")), "no CSS url() from the model");
  assert.ok(html.includes('style="background:#8a8f98;color:#000000"'), "grey fallback swatch");
  for (const style of styles) {
    const declarations = style.replace(/&quot;[^&]*&quot;/g, "").split(";");
    for (const declaration of declarations) {
      assert.match(declaration, /^[a-z-]+:[#\w\s,.%()-]+$/, `unexpected style: ${style}`);
    }
  }
});

Deno.test("design tokens drop unsafe shadows", () => {
  const design = hostileBlueprint().design;
  const html = render(<DesignView design={design} />);
  assert.ok(html.includes('style="box-shadow:none"'));
  assert.ok(!html.includes("box-shadow:0 1px 2px red"));
});

Deno.test("diagrams and code that are not ours are not inlined", () => {
  const { architecture, code, design } = hostileBlueprint();
  const evilSvg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
  const er = render(<ArchitectureView architecture={architecture} erSvg={evilSvg} />);
  assertInertHtml(er);
  assert.ok(er.includes("bp-svg-missing"));
  const wire = render(
    <DesignView design={design} wireframes={{ [design.screens[0].id]: evilSvg }} />,
  );
  assertInertHtml(wire);
  const evilHtml = '</code><img src=x onerror="alert(1)"><code>';
  const highlighted = [{ path: "src/app.ts", language: "ts", html: evilHtml }];
  const files = render(<CodeView code={code} highlighted={highlighted} />);
  assertInertHtml(files);
  assert.ok(files.includes("const x = &quot;&lt;script&gt;"), "falls back to plain text");
});

Deno.test("StageMeta shows provider, model, tokens, cost, time and the cache badge", () => {
  const usage = {
    provider: "openai",
    model: "gpt-4.1-mini",
    inputTokens: 1234,
    outputTokens: 5678,
    costUsd: 0.012345,
    ttftMs: 310,
    durationMs: 2450,
    cached: true,
  };
  const text = render(<StageMeta usage={usage} />).replace(/<!-- -->/g, "");
  for (const part of ["openai", "gpt-4.1-mini", "1,234 in / 5,678 out", "$0.0123", "2.5 s"]) {
    assert.ok(text.includes(part), part);
  }
  assert.ok(text.includes(">cached<"));
  const fresh = render(<StageMeta usage={{ ...usage, cached: false, durationMs: 640 }} />);
  assert.ok(!fresh.includes(">cached<"));
  assert.ok(fresh.replace(/<!-- -->/g, "").includes("640 ms"));
});

Deno.test("a skeleton reserves the same box as its stage and says it is busy", () => {
  const blueprint = hostileBlueprint();
  for (const stage of STAGE_NAMES) {
    const skeleton = render(<StageSkeleton stage={stage} />);
    assert.ok(skeleton.includes('aria-busy="true"'));
    assert.ok(skeleton.includes(`class="bp-stage bp-${stage} bp-skeleton"`));
    const view = render(
      <StageView view={{ stage, output: blueprint[stage] } as StageViewProps} />,
    );
    assert.ok(view.startsWith(`<article class="bp-stage bp-${stage}"`), stage);
  }
});

Deno.test("the file tree nests folders first, then files, by name", () => {
  const tree = fileTree(["src/b.ts", "README.md", "src/routes/a.ts", "src/a.ts", "db/schema.sql"]);
  const names = (nodes: ReturnType<typeof fileTree>): unknown[] =>
    nodes.map((node) => node.path === undefined ? [node.name, names(node.children)] : node.name);
  assert.deepEqual(names(tree), [
    ["db", ["schema.sql"]],
    ["src", [["routes", ["a.ts"]], "a.ts", "b.ts"]],
    "README.md",
  ]);
});

Deno.test("boxes that scroll sideways are focusable, named regions (axe scrollable-region-focusable)", () => {
  const blueprint = offlineBlueprint(DIRECTIVES[0]);
  let regions = 0;
  for (const stage of STAGE_NAMES) {
    const output = blueprint[stage];
    const extras = prepareStageExtras(stage, output as never, { palette: blueprint.brand.palette });
    const view = { stage, output, extras } as StageViewProps;
    const html = render(<StageView view={view} blueprint={blueprint} />);
    // Every table wrapper and the data-model diagram (both overflow-x: auto in app.css).
    const boxes = [
      ...html.matchAll(/<div class="bp-table"[^>]*>/g),
      ...html.matchAll(/<figure class="bp-figure bp-er">\s*<div class="bp-svg"[^>]*>/g),
    ].map((m) => m[0]);
    for (const box of boxes) {
      assert.match(box, /tabindex="0"/, `${stage}: ${box}`);
      assert.match(box, /role="region"/, `${stage}: ${box}`);
      assert.match(box, /aria-label="[^"]+"/, `${stage}: ${box}`);
    }
    regions += boxes.length;
  }
  assert.ok(regions >= 5, `${regions} scroll boxes found`);
});
