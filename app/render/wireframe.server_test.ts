import assert from "node:assert/strict";
import type { Screen } from "../blueprint/schemas.ts";
import { isDiagramSvg } from "./format.ts";
import {
  assertInertHtml,
  assertWellFormedXml,
  hostileBlueprint,
  PAYLOAD,
} from "../../tests/support/blueprint_fixtures.ts";
import {
  screenWireframes,
  screenWireframeSvg,
  sectionKind,
  WIREFRAME_SIZE,
} from "./wireframe.server.ts";

const screen: Screen = {
  id: "browse",
  name: "Browse boxes",
  route: "/boxes",
  purpose: "Find a vegetable box nearby.",
  sections: ["Search and filters", "Box grid", "Map of farms", "Delivery calendar", "Reviews"],
  primaryAction: "Subscribe",
  features: [],
};

Deno.test("a wireframe shows the screen's name, route, sections and action", () => {
  const svg = screenWireframeSvg(screen);
  for (const text of ["Browse boxes", "/boxes", "Search and filters", "Box grid", "Subscribe"]) {
    assert.ok(svg.includes(`>${text}</text>`), text);
  }
  assert.ok(svg.includes(`viewBox="0 0 ${WIREFRAME_SIZE.width} ${WIREFRAME_SIZE.height}"`));
  assert.ok(svg.includes('aria-label="Wireframe of the Browse boxes screen"'));
  assert.ok(isDiagramSvg(svg));
  assertWellFormedXml(svg);
});

Deno.test("sections are drawn by kind", () => {
  const kinds = screen.sections.map(sectionKind);
  assert.deepEqual(kinds, ["form", "grid", "map", "calendar", "list"]);
  assert.equal(sectionKind("About us"), "text");
  // The head noun, last in the phrase, decides.
  assert.equal(sectionKind("Vegetable box table"), "list");
  assert.equal(sectionKind("Available vegetable boxes"), "grid");
  assert.equal(sectionKind("Action history"), "list");
});

Deno.test("wireframes are deterministic and stay inside the canvas with 10 sections", () => {
  const many = { ...screen, sections: Array.from({ length: 10 }, (_, i) => `Section ${i} list`) };
  const svg = screenWireframeSvg(many);
  assert.equal(svg, screenWireframeSvg(many));
  for (
    const match of svg.matchAll(
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g,
    )
  ) {
    const [x, y, w, h] = match.slice(1).map(Number);
    assert.ok(
      x >= 0 && y >= 0 && x + w <= WIREFRAME_SIZE.width && y + h <= WIREFRAME_SIZE.height,
      match[0],
    );
  }
});

Deno.test("a wireframe uses the brand palette, and grey for a malformed colour", () => {
  const palette = hostileBlueprint().brand.palette;
  assert.ok(screenWireframeSvg(screen, palette).includes('fill="#3a36d6"'));
  const bad = { ...palette, primary: '#000"/><script>alert(1)</script>' };
  const svg = screenWireframeSvg(screen, bad);
  assert.ok(svg.includes('fill="#8a8f98"'));
  assertInertHtml(svg);
});

Deno.test("wireframes of hostile screens are escaped and well-formed", () => {
  const wireframes = screenWireframes(hostileBlueprint().design.screens);
  assert.equal(Object.keys(wireframes).length, 1);
  for (const svg of Object.values(wireframes)) {
    assertInertHtml(svg, "wireframe");
    assertWellFormedXml(svg);
    assert.ok(isDiagramSvg(svg));
    assert.ok(svg.includes("&lt;script&gt;"));
  }
  const long = screenWireframeSvg({ ...screen, name: PAYLOAD, sections: [PAYLOAD] });
  assertWellFormedXml(long);
  assert.ok(long.includes("…"), "long labels are cut to fit");
});
