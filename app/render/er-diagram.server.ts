/**
 * The architecture's data model as an entity-relationship diagram, drawn on the server as
 * an SVG string: entities on a deterministic grid, relations routed through the gutters
 * between boxes (so a line never crosses an entity), crow's feet for the "many" ends.
 */
import type { ArchitectureSpec, Entity } from "../blueprint/schemas.ts";
import { svgOpen, svgText } from "./svg.server.ts";

type DataModel = ArchitectureSpec["dataModel"];

const BOX_W = 214;
const HEADER_H = 28;
const ROW_H = 17;
const MAX_FIELDS = 14;
const GAP_X = 88;
const GAP_Y = 60;
// Wide enough that the gutters outside the outer columns hold every lane.
const MARGIN = GAP_X / 2 + 20;
const LANE = 4;

const INK = "#16181d";
const MUTED = "#5b6170";
const LINE = "#c9ccd3";
const EDGE = "#6b7080";
const HEAD = "#ecebff";

interface Placed {
  entity: Entity;
  col: number;
  row: number;
  x: number;
  y: number;
  h: number;
  /** Header attachments used so far per side, so parallel ends do not overlap exactly. */
  used: { left: number; right: number };
}

interface Link {
  from: Placed;
  to: Placed;
  fromMany: boolean;
  toMany: boolean;
  /** Row index of the field that carries the reference, when there is one. */
  fromField?: number;
  toField?: number;
}

const r = (n: number) => Math.round(n * 10) / 10;

function boxHeight(entity: Entity): number {
  const rows = Math.min(entity.fields.length, MAX_FIELDS) +
    (entity.fields.length > MAX_FIELDS ? 1 : 0);
  return HEADER_H + rows * ROW_H + 8;
}

/** A relation between two entities, by name: which ends are "many". */
interface Pair {
  from: string;
  to: string;
  fromMany: boolean;
  toMany: boolean;
}

const KIND_ENDS = {
  "one-to-one": [false, false],
  "one-to-many": [false, true],
  "many-to-one": [true, false],
  "many-to-many": [true, true],
} as const;

/** One pair per two entities: declared relations first, then field references. */
function pairs(entities: readonly Entity[]): Pair[] {
  const known = new Set(entities.map((entity) => entity.name));
  const seen = new Set<string>();
  const out: Pair[] = [];
  const add = (from: string, to: string, fromMany: boolean, toMany: boolean) => {
    const key = [from, to].sort().join("\u0000");
    if (!known.has(to) || seen.has(key)) return;
    seen.add(key);
    out.push({ from, to, fromMany, toMany });
  };
  for (const entity of entities) {
    for (const relation of entity.relations) {
      const [fromMany, toMany] = KIND_ENDS[relation.kind];
      add(entity.name, relation.target, fromMany, toMany);
    }
  }
  for (const entity of entities) {
    for (const field of entity.fields) {
      if (field.references !== null) add(entity.name, field.references, true, false);
    }
  }
  return out;
}

/**
 * The grid: up to 4 columns, near square, rows as tall as their tallest entity. The most
 * connected entities take the central cells, so their many lines stay short.
 */
function place(
  entities: readonly Entity[],
  links: readonly Pair[],
): { boxes: Placed[]; width: number; height: number } {
  const n = entities.length;
  const cols = Math.max(1, Math.min(4, Math.ceil(Math.sqrt(n))));
  const rows = Math.ceil(n / cols);
  const degree = new Map<string, number>();
  for (const { from, to } of links) {
    degree.set(from, (degree.get(from) ?? 0) + 1);
    degree.set(to, (degree.get(to) ?? 0) + 1);
  }
  const [cx, cy] = [(cols - 1) / 2, (rows - 1) / 2];
  const cells = Array.from({ length: n }, (_, index) => ({
    col: index % cols,
    row: Math.floor(index / cols),
  })).map((cell, index) => ({
    ...cell,
    index,
    distance: Math.abs(cell.col - cx) + Math.abs(cell.row - cy),
  }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index);
  const ranked = entities.map((entity, index) => ({ entity, index }))
    .sort((a, b) =>
      (degree.get(b.entity.name) ?? 0) - (degree.get(a.entity.name) ?? 0) || a.index - b.index
    );
  const slots = ranked.map(({ entity }, rank) => ({ entity, ...cells[rank] }));
  const rowHeights = Array.from(
    { length: rows },
    (_, row) =>
      Math.max(
        0,
        ...slots.filter((slot) => slot.row === row).map((slot) => boxHeight(slot.entity)),
      ),
  );
  const rowTops: number[] = [];
  let y = MARGIN;
  for (const height of rowHeights) {
    rowTops.push(y);
    y += height + GAP_Y;
  }
  // Back in the model's order, so the SVG reads (and tabs) in the order the model gave.
  const boxes = slots.sort((a, b) => entities.indexOf(a.entity) - entities.indexOf(b.entity))
    .map(({ entity, col, row }) => ({
      entity,
      col,
      row,
      x: MARGIN + col * (BOX_W + GAP_X),
      y: rowTops[row],
      h: boxHeight(entity),
      used: { left: 0, right: 0 },
    }));
  const width = MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP_X;
  return { boxes, width, height: y - GAP_Y + MARGIN };
}

function fieldIndex(entity: Entity, target: string): number | undefined {
  const index = entity.fields.findIndex((field) => field.references === target);
  return index >= 0 && index < MAX_FIELDS ? index : undefined;
}

/** The placed links, with the reference field rows their ends attach to. */
function placeLinks(boxes: Placed[], links: readonly Pair[]): Link[] {
  const byName = new Map(boxes.map((box) => [box.entity.name, box]));
  return links.map((pair) => {
    const from = byName.get(pair.from)!;
    const to = byName.get(pair.to)!;
    return {
      from,
      to,
      fromMany: pair.fromMany,
      toMany: pair.toMany,
      fromField: fieldIndex(from.entity, to.entity.name),
      toField: from === to ? undefined : fieldIndex(to.entity, from.entity.name),
    };
  });
}

/** The y where a link meets a box: its reference field's row, else a header slot. */
function attachY(box: Placed, side: "left" | "right", field: number | undefined): number {
  if (field !== undefined) return box.y + HEADER_H + field * ROW_H + ROW_H / 2 + 2;
  const slot = Math.min(box.used[side]++, 3);
  return box.y + 10 + slot * 3;
}

/** A "one" bar or a "many" crow's foot where a line meets a box edge. */
function endMarker(x: number, y: number, outward: 1 | -1, many: boolean): string {
  if (many) {
    const tip = x + outward * 11;
    return `<path d="M${r(tip)} ${r(y)}L${r(x)} ${r(y - 5)}M${r(tip)} ${r(y)}L${r(x)} ${r(y)}M${
      r(tip)
    } ${r(y)}L${r(x)} ${r(y + 5)}" stroke="${EDGE}" stroke-width="1.25" fill="none"/>`;
  }
  const bar = x + outward * 7;
  return `<path d="M${r(bar)} ${r(y - 5)}V${r(y + 5)}" stroke="${EDGE}" stroke-width="1.25"/>`;
}

function route(link: Link, lane: number, rowTops: Map<number, number>): string {
  const { from, to } = link;
  const offset = ((lane % 9) - 4) * LANE;
  if (from === to) {
    const x = from.x + BOX_W;
    const y = attachY(from, "right", link.fromField);
    return `<path d="M${x} ${
      r(y)
    }h18v16h-18" stroke="${EDGE}" stroke-width="1.25" fill="none" stroke-linejoin="round"/>` +
      endMarker(x, y, 1, link.fromMany) + endMarker(x, y + 16, 1, link.toMany);
  }
  const exitSide: "left" | "right" = to.col < from.col ? "left" : "right";
  const entrySide: "left" | "right" = to.col > from.col ? "left" : "right";
  const exitX = exitSide === "right" ? from.x + BOX_W : from.x;
  const entryX = entrySide === "right" ? to.x + BOX_W : to.x;
  const gutterA = exitX + (exitSide === "right" ? 1 : -1) * (GAP_X / 2) + offset;
  const gutterB = entryX + (entrySide === "right" ? 1 : -1) * (GAP_X / 2) + offset;
  const yA = attachY(from, exitSide, link.fromField);
  const yB = attachY(to, entrySide, link.toField);
  let d: string;
  if (Math.abs(gutterA - gutterB) < 1) {
    d = `M${r(exitX)} ${r(yA)}H${r(gutterA)}V${r(yB)}H${r(entryX)}`;
  } else {
    const above = to.row === 0 ? MARGIN : GAP_Y;
    const laneY = (rowTops.get(to.row) ?? to.y) - above / 2 + offset;
    d = `M${r(exitX)} ${r(yA)}H${r(gutterA)}V${r(laneY)}H${r(gutterB)}V${r(yB)}H${r(entryX)}`;
  }
  return `<path d="${d}" stroke="${EDGE}" stroke-width="1.25" fill="none" stroke-linejoin="round"/>` +
    endMarker(exitX, yA, exitSide === "right" ? 1 : -1, link.fromMany) +
    endMarker(entryX, yB, entrySide === "right" ? 1 : -1, link.toMany);
}

function entityBox(box: Placed): string {
  const { entity, x, y, h } = box;
  const out = [
    `<rect x="${x}" y="${y}" width="${BOX_W}" height="${h}" rx="8" fill="#ffffff" stroke="${LINE}"/>`,
    `<path d="M${x} ${y + HEADER_H}V${y + 8}a8 8 0 0 1 8-8h${BOX_W - 16}a8 8 0 0 1 8 8V${
      y + HEADER_H
    }z" fill="${HEAD}"/>`,
    `<path d="M${x} ${y + HEADER_H}h${BOX_W}" stroke="${LINE}"/>`,
    svgText(x + 10, y + 18.5, entity.name, {
      width: BOX_W - 20,
      size: 12.5,
      fill: INK,
      weight: 700,
    }),
  ];
  entity.fields.slice(0, MAX_FIELDS).forEach((field, index) => {
    const baseline = y + HEADER_H + index * ROW_H + 14;
    const key = field.name === "id"
      ? "PK"
      : field.references !== null
      ? "FK"
      : field.unique
      ? "U"
      : "";
    if (key) {
      out.push(svgText(x + 8, baseline, key, { width: 20, size: 8.5, fill: MUTED, weight: 700 }));
    }
    out.push(svgText(x + 28, baseline, field.name, { width: 108, size: 11, fill: INK }));
    out.push(
      svgText(x + BOX_W - 10, baseline, `${field.type}${field.required ? "" : "?"}`, {
        width: 70,
        size: 10.5,
        fill: MUTED,
        anchor: "end",
      }),
    );
  });
  if (entity.fields.length > MAX_FIELDS) {
    const baseline = y + HEADER_H + MAX_FIELDS * ROW_H + 14;
    out.push(
      svgText(x + 28, baseline, `+ ${entity.fields.length - MAX_FIELDS} more fields`, {
        width: BOX_W - 40,
        size: 10.5,
        fill: MUTED,
      }),
    );
  }
  return out.join("");
}

/**
 * An SVG entity-relationship diagram of a data model. Deterministic: the same model always
 * gives the same string. Relations to unknown entities are left out.
 */
export function erDiagramSvg(dataModel: DataModel): string {
  const relations = pairs(dataModel.entities);
  const { boxes, width, height } = place(dataModel.entities, relations);
  const rowTops = new Map(boxes.map((box) => [box.row, box.y]));
  const names = dataModel.entities.map((entity) => entity.name).join(", ");
  const out = [svgOpen(width, height, `Entity-relationship diagram: ${names}`)];
  // Lines first so entity boxes sit on top of their ends.
  placeLinks(boxes, relations).forEach((link, lane) => out.push(route(link, lane, rowTops)));
  for (const box of boxes) out.push(entityBox(box));
  out.push("</svg>");
  return out.join("");
}
