import assert from "node:assert/strict";
import type { ArchitectureSpec, Entity } from "../blueprint/schemas.ts";
import { erDiagramSvg } from "./er-diagram.server.ts";
import { isDiagramSvg } from "./format.ts";
import {
  assertInertHtml,
  assertWellFormedXml,
  hostileBlueprint,
} from "../../tests/support/blueprint_fixtures.ts";

const field = (name: string, references: string | null = null) => ({
  name,
  type: name === "id" ? "uuid" as const : "text" as const,
  required: true,
  unique: name === "id",
  references,
});

const entity = (name: string, fields: Entity["fields"], relations: Entity["relations"] = []) => ({
  name,
  description: `${name} records.`,
  fields,
  relations,
});

const model: ArchitectureSpec["dataModel"] = {
  entities: [
    entity("User", [field("id"), field("email")], [{ kind: "one-to-many", target: "Order" }]),
    entity("Farm", [field("id"), field("ownerId", "User")]),
    entity("Box", [field("id"), field("farmId", "Farm")], [{
      kind: "many-to-one",
      target: "Farm",
    }]),
    entity("Order", [field("id"), field("userId", "User"), field("boxId", "Box")], [
      { kind: "many-to-one", target: "User" },
      { kind: "many-to-one", target: "Ghost" },
    ]),
    entity("Category", [field("id"), field("parentId", "Category")]),
  ],
};

/** The boxes of the diagram: entity rectangles are the ones 214 wide with rounded corners. */
function boxes(svg: string) {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="214" height="([\d.]+)" rx="8"/g)]
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]), w: 214, h: Number(m[3]) }));
}

Deno.test("the ER diagram has a box per entity with its fields", () => {
  const svg = erDiagramSvg(model);
  assert.equal(boxes(svg).length, 5);
  for (const text of ["User", "Farm", "Box", "Order", "Category", "email", "farmId", "uuid"]) {
    assert.ok(svg.includes(`>${text}</text>`), text);
  }
  assert.ok(svg.includes(">PK</text>") && svg.includes(">FK</text>"));
  assert.ok(isDiagramSvg(svg));
  assertWellFormedXml(svg);
});

Deno.test("one line per related pair, unknown targets left out, self relations looped", () => {
  const svg = erDiagramSvg(model);
  const lines = [
    ...svg.matchAll(/<path d="M[^"]*"[^>]*stroke-linejoin="round"/g),
  ];
  // User–Order, Farm–User, Box–Farm, Order–Box, Category–Category; not Order–Ghost.
  assert.equal(lines.length, 5);
  assert.ok(lines.some((line) => line[0].includes("h18v16h-18")), "self relation loop");
});

Deno.test("the layout is a deterministic grid whose boxes never overlap", () => {
  const svg = erDiagramSvg(model);
  assert.equal(svg, erDiagramSvg(structuredClone(model)));
  const placed = boxes(svg);
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) {
      const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
      assert.ok(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
    }
  }
  const [, width, height] = svg.match(/viewBox="0 0 ([\d.]+) ([\d.]+)"/)!.map(Number);
  for (const box of placed) assert.ok(box.x + box.w <= width && box.y + box.h <= height);
});

Deno.test("relation lines stay inside the canvas, in the gutters", () => {
  const svg = erDiagramSvg(model);
  const [, width, height] = svg.match(/viewBox="0 0 ([\d.]+) ([\d.]+)"/)!.map(Number);
  for (const [, d] of svg.matchAll(/<path d="(M[^"]*)"[^>]*stroke-linejoin="round"/g)) {
    let [x, y] = [0, 0];
    for (const [, op, value] of d.matchAll(/([MHVhv])([-\d. ]+)/g)) {
      const [a, b] = value.trim().split(" ").map(Number);
      if (op === "M") [x, y] = [a, b];
      else if (op === "H") x = a;
      else if (op === "V") y = a;
      else if (op === "h") x += a;
      else y += a;
      assert.ok(x >= 0 && x <= width && y >= 0 && y <= height, `${d} leaves the canvas`);
    }
  }
});

Deno.test("the most connected entity takes a central cell", () => {
  const leaves = ["A", "B", "C", "D"].map((name) => entity(name, [field("id")]));
  const hub = entity("Hub", [field("id"), ...["A", "B", "C", "D"].map((n) => field(`${n}Id`, n))]);
  const placed = boxes(erDiagramSvg({ entities: [...leaves, hub] }));
  // Five entities make a 3×2 grid; boxes come out in model order, so the hub is the last.
  const columnX = (col: number) => 64 + col * (214 + 88);
  assert.equal(placed[4].x, columnX(1), "hub in the middle column");
  assert.equal(placed[4].y, 64, "hub in the first row");
});

Deno.test("entities with many fields are cut with a count", () => {
  const fields = [field("id"), ...Array.from({ length: 20 }, (_, i) => field(`f${i}`))];
  const svg = erDiagramSvg({ entities: [entity("Wide", fields)] });
  assert.ok(svg.includes(">+ 7 more fields</text>"));
});

Deno.test("a hostile data model is escaped and well-formed", () => {
  const svg = erDiagramSvg(hostileBlueprint().architecture.dataModel);
  assertInertHtml(svg, "er");
  assertWellFormedXml(svg);
  assert.ok(svg.includes("&quot;&gt;&lt;script&gt;"));
  assert.ok(isDiagramSvg(svg));
});
