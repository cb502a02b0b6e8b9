/**
 * Test data and checks for the blueprint views and exports: a blueprint whose every string
 * is an injection payload (schema-valid, so it is what a hostile model could really return),
 * and assertions that rendered output stayed inert.
 */
import assert from "node:assert/strict";
import { parseAndNormalise } from "../../app/blueprint/normalise.ts";
import type { StageOutputs } from "../../app/blueprint/schemas.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";

/** Directives of different archetypes, for tests that want real offline-engine blueprints. */
export const DIRECTIVES = [
  "A marketplace where local farmers sell vegetable boxes",
  "A booking app for independent dog groomers",
  "An invoicing tool for freelance translators",
] as const;

/** A whole blueprint from the offline engine, validated and normalised as the pipeline stores it. */
export function offlineBlueprint(directive: string): StageOutputs {
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    const raw = generateStage(stage, directive, outputs);
    (outputs as Record<string, unknown>)[stage] = parseAndNormalise(stage, raw, outputs);
  }
  return outputs as StageOutputs;
}

/** Text as React escapes it in HTML, to look for model strings in rendered markup. */
export function asHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

/** Fails when HTML holds an executable tag, an event handler or a `javascript:` URL. */
export function assertInertHtml(html: string, label = "html"): void {
  assert.ok(
    !/<(script|img|iframe|object|embed|foreignObject|style|a\s[^>]*javascript)\b/i.test(html),
    `${label}: raw tag`,
  );
  const tag = /<[a-zA-Z][\w:-]*((?:\s+[\w:-]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*\/?>/g;
  for (const [, attributes] of html.matchAll(tag)) {
    for (
      const [, name, value] of attributes.matchAll(/([\w:-]+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)
    ) {
      assert.ok(!/^on/i.test(name), `${label}: event handler attribute ${name}`);
      assert.ok(!/^["']?\s*javascript:/i.test(value ?? ""), `${label}: javascript: URL in ${name}`);
    }
  }
  assert.ok(!html.includes("]]>"), `${label}: CDATA terminator`);
}

/**
 * Fails unless `xml` is well-formed for our purposes: balanced tags, quoted attributes,
 * no raw `<` or `&` in text. (No XML parser ships with Deno; this covers what we emit.)
 */
export function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let last = 0;
  for (let match = re.exec(xml); match; match = re.exec(xml)) {
    last = re.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = match;
    const rawAmp = /&(?!(amp|lt|gt|quot|#39|#\d+);)/;
    if (text !== undefined) {
      assert.ok(!rawAmp.test(text), `raw & in text: ${text}`);
      continue;
    }
    assert.ok(!rawAmp.test(attributes ?? ""), `raw & in attributes: ${attributes}`);
    if (closing) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else if (!selfClosing) stack.push(name);
  }
  assert.equal(last, xml.length, `not well-formed near: ${xml.slice(last, last + 80)}`);
  assert.deepEqual(stack, [], "unclosed tags");
}

/** Markup, attribute break-out, `javascript:` URL and CDATA terminator in one string. */
export const PAYLOAD =
  `<script>alert(1)</script>"><img src=x onerror=alert(1)>[x](javascript:alert(1))]]>`;

/** A shorter payload for fields limited to 64 characters (ids, names). */
export const SHORT_PAYLOAD = `"><script>alert(1)</script>]]>`;

/** Every stage of a blueprint, with payloads in every free-text field. */
export function hostileBlueprint(): StageOutputs {
  const p = PAYLOAD;
  const s = SHORT_PAYLOAD;
  const font = {
    family: `Inter"; background:url(javascript:alert(1))`,
    fontsourcePackage: "@fontsource/inter",
    weights: [400, 700],
    fallback: p,
  };
  return {
    product: {
      workingName: p,
      oneLiner: p,
      problem: `${p}\n\n# heading ${p}`,
      targetUsers: p,
      personas: [{ name: p, description: p, goals: [p] }],
      goals: [p],
      features: [{
        id: s,
        title: `Feature ${p}`,
        description: p,
        priority: "P0",
        userStories: [{ id: s, asA: p, iWant: p, soThat: p, acceptanceCriteria: [p] }],
      }],
      nonGoals: [p],
      successMetrics: [{ name: p, target: p }],
      competitors: [{ name: p, angle: p, differentiation: p }],
      risks: [{ risk: p, mitigation: p }],
      openQuestions: [p],
    },
    brand: {
      nameCandidates: [{ name: p, strategy: "invented", rationale: p }],
      chosenName: p,
      tagline: p,
      mission: p,
      voice: { traits: [p], do: [p], dont: [p] },
      palette: {
        primary: "#3a36d6",
        secondary: "#1f7a5c",
        accent: "#f2b134",
        neutral: [
          "#f8f8f8",
          "#eeeeee",
          "#dddddd",
          "#cccccc",
          "#aaaaaa",
          "#888888",
          "#555555",
          "#444444",
          "#333333",
          "#111111",
        ],
        success: "#17803d",
        warning: "#f0b429",
        danger: "#c0392b",
      },
      contrast: [{
        foreground: "neutral-900",
        background: "neutral-50",
        foregroundHex: "#111111",
        backgroundHex: "#f8f8f8",
        ratio: 18,
        passesAA: true,
      }],
      typography: {
        heading: font,
        body: font,
        mono: font,
        scale: [{ token: p, sizePx: 32, lineHeight: 1.2 }],
      },
      logoConcept: { description: p, shape: "shield", symbol: p, colourRoles: ["primary"] },
    },
    design: {
      principles: [{ title: p, description: p }],
      tokens: {
        spacing: [{ token: p, px: 8 }],
        radius: [{ token: p, px: 4 }],
        elevation: [{ token: p, shadow: "0 1px 2px red; background:url(javascript:alert(1))" }],
        motion: [{ token: p, durationMs: 200, easing: p }],
        colors: [{ token: p, role: "primary" }],
      },
      components: [{ name: p, purpose: p, variants: [p] }],
      screens: [{
        id: s,
        name: `Home ${p}`,
        route: `javascript:alert(1)//${s}`,
        purpose: p,
        sections: [p, `List ${p}`, `Form ${p}`, `Chart ${p}`, `Map ${p}`],
        primaryAction: p,
        features: [s],
      }],
      navigation: { pattern: "tab-bar", items: [{ label: p, screenId: s }] },
      flows: [{ id: s, name: p, goal: p, steps: [{ screenId: s, action: p }] }],
    },
    architecture: {
      stack: [{ layer: p, choice: p, rationale: p }],
      services: [{ name: p, responsibility: p }],
      dataModel: {
        entities: [
          {
            name: s,
            description: p,
            fields: [
              { name: "id", type: "uuid", required: true, unique: true, references: null },
              { name: s, type: "text", required: false, unique: false, references: `${s}2` },
            ],
            relations: [{ kind: "one-to-many", target: `${s}2` }],
          },
          {
            name: `${s}2`,
            description: p,
            fields: [{ name: s, type: "text", required: true, unique: false, references: s }],
            relations: [],
          },
        ],
      },
      endpoints: [{
        id: s,
        method: "POST",
        path: `/api/${p}`.slice(0, 200),
        purpose: p,
        entity: s,
        features: [s],
        request: { fields: [{ name: s, type: "text", required: true }] },
        response: { status: 201, description: p, fields: [] },
      }],
      integrations: [{ name: p, purpose: p }],
      deployment: { target: p, description: p, environments: [p] },
      nonFunctional: [{ category: "security", requirement: p }],
      decisions: [{ title: p, choice: p, rationale: p }],
    },
    code: {
      files: [
        { path: "src/app.ts", language: "ts", content: `const x = "${p}";\n// </script>${p}\n` },
        { path: "../../etc/passwd", language: "text", content: "root:x:0:0" },
        { path: "/abs/x", language: "text", content: "absolute" },
        { path: "a\\b", language: "text", content: "backslash" },
        { path: "a/../../b", language: "text", content: "dot-dot" },
        { path: "../..", language: "text", content: "nothing left" },
        { path: "src/app.ts", language: "ts", content: "duplicate" },
        { path: `docs/${s}.md`, language: "md", content: `# ${p}\n\n\`\`\`\n${p}\n\`\`\`\n` },
      ],
      entrypoint: "src/app.ts",
      instructions: [p],
    },
  };
}
