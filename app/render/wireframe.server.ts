/**
 * Low-fidelity wireframes of design-stage screens, drawn on the server as SVG strings so
 * the browser gets pictures without a diagram library. Every model string is escaped.
 */
import type { Palette, Screen } from "../blueprint/schemas.ts";
import { inkOn, safeHex } from "../blueprint/colour.ts";
import { svgOpen, svgText } from "./svg.server.ts";

/** Wireframe canvas size; the view reserves this aspect ratio so nothing shifts. */
export const WIREFRAME_SIZE = { width: 400, height: 300 } as const;

type Kind = "media" | "list" | "grid" | "form" | "chart" | "calendar" | "map" | "text";

// English noun phrases end in their head noun ("Vegetable box table" is a table), so the
// keyword matched last in a name decides; ties go to the earlier entry.
const KINDS: [Kind, RegExp][] = [
  ["calendar", /calendar|schedule|slot|agenda|week|date|day view|hours/],
  ["map", /map|location|nearby|area|directions/],
  [
    "chart",
    /chart|stat|dashboard|analytic|metric|overview|insight|progress|earning|revenue|kpi|trend|balance|level/,
  ],
  [
    "form",
    /form|checkout|setting|profile|sign|login|register|edit|compose|payment|search|filter|create|contact|account|preference|upload|picker|deposit|security/,
  ],
  ["grid", /grid|galler|catalog|card|product|listing|browse|collection|box|tile|shop|menu/],
  [
    "list",
    /list|feed|result|inbox|histor|order|activit|message|conversation|thread|queue|table|timeline|log|review|comment|notification|member|item|cart|report|reminder|alert|upcoming|past|receipt|export|transaction|draft/,
  ],
  ["media", /hero|banner|cover|photo|image|video|header|welcome|intro|\bstory/],
];

/** How a section name is drawn (deterministic keyword match, `text` by default). */
export function sectionKind(name: string): Kind {
  const lower = name.toLowerCase();
  let best: { kind: Kind; end: number } = { kind: "text", end: -1 };
  for (const [kind, pattern] of KINDS) {
    for (const match of lower.matchAll(new RegExp(pattern.source, "g"))) {
      const end = match.index + match[0].length;
      if (end > best.end) best = { kind, end };
    }
  }
  return best.kind;
}

const INK = "#3d4250";
const MUTED = "#5b6170";
const LINE = "#d5d8de";
const FILL = "#e6e8ec";

const r = (n: number) => Math.round(n * 10) / 10;

function rect(
  x: number,
  y: number,
  w: number,
  h: number,
  fill: string,
  extra = "",
): string {
  return `<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${
    r(Math.max(0, h))
  }" fill="${fill}"${extra}/>`;
}

/** The placeholder drawing inside a section's body box. */
function glyph(
  kind: Kind,
  box: { x: number; y: number; w: number; h: number },
  colours: { ink: string; tint: string },
): string {
  const { x, y, w, h } = box;
  const { ink, tint } = colours;
  if (h < 8 || w < 20) return "";
  const parts: string[] = [];
  switch (kind) {
    case "media": {
      parts.push(rect(x, y, w, h, tint, ` fill-opacity="0.16" rx="4"`));
      const s = Math.min(h, w) * 0.35;
      parts.push(
        `<path d="M${r(x + w / 2 - s)} ${r(y + h * 0.8)}l${r(s * 0.7)} ${r(-s)}l${r(s * 0.5)} ${
          r(s * 0.6)
        }l${r(s * 0.4)} ${r(-s * 0.35)}l${r(s * 0.4)} ${
          r(s * 0.75)
        }z" fill="${tint}" fill-opacity="0.45"/>`,
      );
      break;
    }
    case "list": {
      const rows = Math.max(1, Math.min(5, Math.floor(h / 13)));
      for (let i = 0; i < rows; i++) {
        const cy = y + 5 + i * 13;
        parts.push(
          `<circle cx="${r(x + 4)}" cy="${r(cy)}" r="3.5" fill="${ink}" fill-opacity="0.5"/>`,
        );
        parts.push(rect(x + 12, cy - 2.5, (w - 12) * (i % 2 ? 0.6 : 0.8), 5, FILL, ` rx="2.5"`));
      }
      break;
    }
    case "grid": {
      const cols = w > 160 ? 4 : 3;
      const gap = 5;
      const tw = (w - gap * (cols - 1)) / cols;
      const rows = Math.max(1, Math.min(2, Math.floor((h + gap) / (tw * 0.7 + gap))));
      const th = Math.min(tw * 0.7, (h - gap * (rows - 1)) / rows);
      for (let row = 0; row < rows; row++) {
        for (let col = 0; col < cols; col++) {
          const tx = x + col * (tw + gap);
          const ty = y + row * (th + gap);
          parts.push(rect(tx, ty, tw, th, FILL, ` rx="3"`));
          parts.push(rect(tx, ty, tw, th * 0.55, tint, ` fill-opacity="0.14" rx="3"`));
        }
      }
      break;
    }
    case "form": {
      const rows = Math.max(1, Math.min(3, Math.floor(h / 16)));
      for (let i = 0; i < rows; i++) {
        const fy = y + i * 16;
        parts.push(rect(x, fy, w * 0.3, 3, FILL, ` rx="1.5"`));
        parts.push(rect(x, fy + 5, w, 9, "#ffffff", ` stroke="${LINE}" rx="2"`));
      }
      break;
    }
    case "chart": {
      const bars = w > 160 ? 9 : 6;
      const bw = w / (bars * 1.6);
      for (let i = 0; i < bars; i++) {
        const bh = h * (0.3 + 0.7 * (((i * 37) % 10) / 10));
        parts.push(
          rect(x + i * bw * 1.6, y + h - bh, bw, bh, ink, ` fill-opacity="0.55" rx="1"`),
        );
      }
      break;
    }
    case "calendar": {
      const cols = 7;
      const cw = w / cols;
      const rows = Math.max(1, Math.min(4, Math.floor(h / 11)));
      for (let row = 0; row < rows; row++) {
        for (let col = 0; col < cols; col++) {
          const on = (row * cols + col) % 5 === 2;
          parts.push(
            rect(
              x + col * cw + 1,
              y + row * 11,
              cw - 2,
              9,
              on ? ink : FILL,
              on ? ` fill-opacity="0.6" rx="2"` : ` rx="2"`,
            ),
          );
        }
      }
      break;
    }
    case "map": {
      parts.push(rect(x, y, w, h, "#eef1ea", ` rx="4"`));
      parts.push(
        `<path d="M${r(x)} ${r(y + h * 0.7)}C${r(x + w * 0.3)} ${r(y + h * 0.4)} ${
          r(x + w * 0.6)
        } ${r(y + h)} ${r(x + w)} ${
          r(y + h * 0.3)
        }" stroke="#c9d1bf" stroke-width="4" fill="none"/>`,
      );
      const px = x + w * 0.55;
      const py = y + h * 0.45;
      parts.push(
        `<circle cx="${r(px)}" cy="${r(py)}" r="${r(Math.min(6, h / 4))}" fill="${ink}"/>`,
      );
      break;
    }
    default: {
      const rows = Math.max(1, Math.min(4, Math.floor(h / 9)));
      for (let i = 0; i < rows; i++) {
        parts.push(rect(x, y + i * 9, w * (i === rows - 1 ? 0.55 : 0.95), 4, FILL, ` rx="2"`));
      }
    }
  }
  return parts.join("");
}

/**
 * An SVG wireframe of one screen: a top bar with its name and route, its sections laid out
 * in a grid (each drawn by kind: list, grid, form, chart, ...), and its primary action.
 */
export function screenWireframeSvg(screen: Screen, palette?: Palette): string {
  const { width: W, height: H } = WIREFRAME_SIZE;
  const primary = palette ? safeHex(palette.primary) : "#3a36d6";
  const accent = palette ? safeHex(palette.accent) : "#6d6ae8";
  const surface = palette ? safeHex(palette.neutral?.[0]) : "#f6f6f8";
  const out: string[] = [svgOpen(W, H, `Wireframe of the ${screen.name} screen`)];
  out.push(rect(0.5, 0.5, W - 1, H - 1, surface, ` stroke="${LINE}" rx="10"`));
  out.push(`<path d="M1 34h${W - 2}" stroke="${LINE}"/>`);
  out.push(rect(12, 10, 14, 14, primary, ` rx="4"`));
  out.push(svgText(34, 21.5, screen.name, { width: 200, size: 12, fill: INK, weight: 600 }));
  out.push(
    svgText(W - 12, 21.5, screen.route, { width: 140, size: 10, fill: MUTED, anchor: "end" }),
  );

  const top = 44;
  const bottom = H - 46;
  const left = 12;
  const inner = W - 24;
  const gap = 8;
  const sections = screen.sections.slice(0, 10);
  const n = sections.length;
  const twoCols = n > 3;
  const rows = twoCols ? Math.ceil(n / 2) : n;
  const rowH = (bottom - top - gap * (rows - 1)) / Math.max(1, rows);
  // With an odd count in two columns, the first section spans the full width.
  const spanFirst = twoCols && n % 2 === 1;
  sections.forEach((name, index) => {
    let row: number;
    let col: number;
    let span: boolean;
    if (!twoCols) [row, col, span] = [index, 0, true];
    else if (spanFirst) {
      [row, col, span] = index === 0
        ? [0, 0, true]
        : [Math.floor((index + 1) / 2), (index + 1) % 2, false];
    } else [row, col, span] = [Math.floor(index / 2), index % 2, false];
    const w = span ? inner : (inner - gap) / 2;
    const x = left + col * (w + gap);
    const y = top + row * (rowH + gap);
    out.push(rect(x, y, w, rowH, "#ffffff", ` stroke="${LINE}" rx="6"`));
    const labelSize = rowH < 22 ? 8.5 : 10;
    out.push(svgText(r(x + 7), r(y + labelSize + 4), name, {
      width: w - 14,
      size: labelSize,
      fill: INK,
      weight: 600,
    }));
    const bodyY = y + labelSize + 10;
    out.push(
      glyph(sectionKind(name), { x: x + 7, y: bodyY, w: w - 14, h: y + rowH - 6 - bodyY }, {
        ink: primary,
        tint: accent,
      }),
    );
  });

  const label = screen.primaryAction;
  const bw = Math.min(200, Math.max(90, Array.from(label).length * 6.4 + 28));
  out.push(rect(W - 12 - bw, H - 36, bw, 26, primary, ` rx="6"`));
  out.push(svgText(r(W - 12 - bw / 2), H - 19, label, {
    width: bw - 16,
    size: 11,
    fill: inkOn(primary),
    weight: 600,
    anchor: "middle",
  }));
  out.push(rect(12, H - 29, 80, 12, FILL, ` rx="6"`));
  out.push("</svg>");
  return out.join("");
}

/** The wireframes of every screen, keyed by screen id. */
export function screenWireframes(
  screens: readonly Screen[],
  palette?: Palette,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const screen of screens) out[screen.id] = screenWireframeSvg(screen, palette);
  return out;
}
