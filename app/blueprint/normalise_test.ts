import assert from "node:assert/strict";
import { adjustForContrast, enforceContrast, normaliseStage, safeFilePath } from "./normalise.ts";
import { AA_RATIO, contrastRatio, REQUIRED_TEXT_PAIRS, roleHex } from "./colour.ts";
import { slugify } from "./ids.ts";
import {
  type ArchitectureSpec,
  type BrandSpec,
  type CodeSpec,
  type DesignSpec,
  type Endpoint,
  type Entity,
  type Feature,
  type Palette,
  type ProductSpec,
  type Screen,
  stageSchemas,
} from "./schemas.ts";

function feature(id: string, priority: Feature["priority"] = "P0", title = id): Feature {
  return {
    id,
    title,
    description: `${title} description`,
    priority,
    userStories: [{
      id: `${id}-story`,
      asA: "user",
      iWant: "to do it",
      soThat: "it is done",
      acceptanceCriteria: ["It works"],
    }],
  };
}

function product(features: Feature[]): ProductSpec {
  return {
    workingName: "Test",
    oneLiner: "A test product.",
    problem: "Testing is hard.",
    targetUsers: "Testers.",
    personas: [{ name: "Tess", description: "A tester.", goals: ["Test"] }],
    goals: ["Test well"],
    features,
    nonGoals: [],
    successMetrics: [{ name: "Tests", target: "All pass" }],
    competitors: [],
    risks: [],
    openQuestions: [],
  };
}

function screen(id: string, features: string[], route = `/${id}`): Screen {
  return {
    id,
    name: id,
    route,
    purpose: "A screen.",
    sections: ["Main"],
    primaryAction: "Go",
    features,
  };
}

function design(screens: Screen[], extra: Partial<DesignSpec> = {}): DesignSpec {
  return {
    principles: [{ title: "Clear", description: "Be clear." }],
    tokens: {
      spacing: [{ token: "space-1", px: 4 }],
      radius: [{ token: "radius-md", px: 8 }],
      elevation: [{ token: "elevation-0", shadow: "none" }],
      motion: [{ token: "motion-base", durationMs: 200, easing: "ease" }],
      colors: [{ token: "color-primary", role: "primary" }],
    },
    components: [{ name: "Button", purpose: "Actions.", variants: [] }],
    screens,
    navigation: { pattern: "top-bar", items: [{ label: "First", screenId: screens[0].id }] },
    flows: [],
    ...extra,
  };
}

function entity(name: string, fields: Entity["fields"] = []): Entity {
  return {
    name,
    description: `${name} records.`,
    fields: [
      { name: "id", type: "uuid", required: true, unique: true, references: null },
      ...fields,
    ],
    relations: [],
  };
}

function endpoint(
  id: string,
  entityName: string,
  features: string[],
  path = `/api/${id}`,
): Endpoint {
  return {
    id,
    method: "GET",
    path,
    purpose: "Reads.",
    entity: entityName,
    features,
    request: { fields: [] },
    response: { status: 200, description: "Data.", fields: [] },
  };
}

function architecture(entities: Entity[], endpoints: Endpoint[]): ArchitectureSpec {
  return {
    stack: [{ layer: "Runtime", choice: "Deno", rationale: "Simple." }],
    services: [{ name: "API", responsibility: "Serves." }],
    dataModel: { entities },
    endpoints,
    integrations: [],
    deployment: { target: "Deno Deploy", description: "Deploys.", environments: ["production"] },
    nonFunctional: [{ category: "performance", requirement: "Fast." }],
    decisions: [{ title: "Keys", choice: "UUID", rationale: "Safe." }],
  };
}

const GREY_PALETTE: Palette = {
  primary: "#9fc5ff",
  secondary: "#c0c0c0",
  accent: "#333333",
  neutral: [
    "#fafafa",
    "#f0f0f0",
    "#e0e0e0",
    "#d0d0d0",
    "#b0b0b0",
    "#a0a0a0",
    "#c8c8c8",
    "#909090",
    "#808080",
    "#cccccc",
  ],
  success: "#8fd19e",
  warning: "#555500",
  danger: "#ffaaaa",
};

function brand(palette: Palette, contrast: BrandSpec["contrast"] = []): BrandSpec {
  const font = {
    family: "Inter",
    fontsourcePackage: "@fontsource/inter",
    weights: [700, 400, 400],
    fallback: "sans-serif",
  };
  return {
    nameCandidates: [{ name: "Other", strategy: "metaphor", rationale: "Because." }],
    chosenName: "Chosen",
    tagline: "A tagline.",
    mission: "A mission.",
    voice: { traits: ["Clear"], do: ["Be clear"], dont: ["Be vague"] },
    palette,
    contrast,
    typography: {
      heading: font,
      body: font,
      mono: font,
      scale: [{ token: "base", sizePx: 16, lineHeight: 1.5 }],
    },
    logoConcept: {
      description: "A mark.",
      shape: "circle",
      symbol: "A dot.",
      colourRoles: ["primary"],
    },
  };
}

function code(paths: string[], entrypoint = paths[0]): CodeSpec {
  return {
    files: paths.map((path) => ({ path, language: "TypeScript", content: `// ${path}` })),
    entrypoint,
    instructions: ["Run it."],
  };
}

Deno.test("adjustForContrast reaches AA by moving lightness, towards the far side", () => {
  const cases: [fg: string, bg: string, darker: boolean][] = [
    ["#9fc5ff", "#ffffff", true],
    ["#ffff00", "#fafafa", true],
    ["#333333", "#000000", false],
    ["#0000aa", "#111111", false],
    ["#808080", "#808080", true],
  ];
  for (const [fg, bg, darker] of cases) {
    const adjusted = adjustForContrast(fg, bg);
    assert.ok(contrastRatio(adjusted, bg) >= AA_RATIO, `${fg} on ${bg} gave ${adjusted}`);
    const lum = (hex: string) => contrastRatio(hex, "#000000");
    assert.equal(lum(adjusted) < lum(fg), darker, `${fg} on ${bg} moved the wrong way`);
  }
  assert.equal(adjustForContrast("#000000", "#ffffff"), "#000000", "passing colours are untouched");
});

Deno.test("enforceContrast repairs every required text pair and recomputes the table", () => {
  const { palette, contrast } = enforceContrast(GREY_PALETTE, [
    { foreground: "accent", background: "neutral-900" },
  ]);
  for (const pair of REQUIRED_TEXT_PAIRS) {
    const ratio = contrastRatio(
      roleHex(palette, pair.foreground),
      roleHex(palette, pair.background),
    );
    assert.ok(ratio >= AA_RATIO, `${pair.foreground} on ${pair.background}: ${ratio}`);
  }
  assert.ok(contrast.length >= REQUIRED_TEXT_PAIRS.length);
  for (const row of contrast) {
    assert.equal(row.passesAA, true);
    assert.equal(row.foregroundHex, roleHex(palette, row.foreground));
    assert.ok(
      row.ratio >= AA_RATIO && row.ratio <= contrastRatio(row.foregroundHex, row.backgroundHex),
    );
  }
  assert.equal(GREY_PALETTE.primary, "#9fc5ff", "the input palette is not mutated");
});

Deno.test("brand normalisation sorts the neutral scale, lower-cases hex and lists the chosen name", () => {
  const shuffled = {
    ...GREY_PALETTE,
    primary: "#1A4D8F",
    neutral: [...GREY_PALETTE.neutral].reverse(),
  };
  const out = normaliseStage(
    "brand",
    brand(shuffled, [{
      foreground: "primary",
      background: "neutral-50",
      foregroundHex: "#000000",
      backgroundHex: "#000000",
      ratio: 21,
      passesAA: true,
    }]),
  );
  assert.equal(out.palette.primary, "#1a4d8f");
  assert.equal(out.palette.neutral[0], "#fafafa");
  const row = out.contrast.find((r) => r.foreground === "primary" && r.background === "neutral-50");
  assert.equal(row?.foregroundHex, "#1a4d8f", "claimed hex values are recomputed, not trusted");
  assert.equal(out.nameCandidates[0].name, "Chosen");
  assert.deepEqual(out.typography.body.weights, [400, 700]);
  assert.ok(stageSchemas.brand.safeParse(out).success);
});

Deno.test("slugify and unique ids", () => {
  const cases: [string, string][] = [
    ["Hello World", "hello-world"],
    ["  --Ünïcödé!!  ", "unicode"],
    ["!!!", "item"],
    ["a".repeat(80), "a".repeat(48)],
  ];
  for (const [input, expected] of cases) assert.equal(slugify(input), expected);

  const out = normaliseStage(
    "product",
    product([feature("Search", "P1"), feature("search", "P1"), feature("Search", "P2")]),
  );
  assert.deepEqual(out.features.map((f) => f.id), ["search", "search-2", "search-3"]);
  const storyIds = out.features.flatMap((f) => f.userStories.map((s) => s.id));
  assert.equal(new Set(storyIds).size, storyIds.length, "story ids are unique across features");
  assert.equal(
    out.features[0].priority,
    "P0",
    "a product without a P0 gets its first feature as core",
  );
});

Deno.test("design: feature refs resolve, every P0 feature gets a screen", () => {
  const input = product([feature("browse"), feature("checkout"), feature("extras", "P1")]);
  const cases: {
    name: string;
    screens: Screen[];
    expectScreens: string[];
    expectFeatures: Record<string, string[]>;
  }[] = [
    {
      name: "unknown and duplicate refs are dropped",
      screens: [screen("home", ["browse", "ghost", "browse", "checkout"])],
      expectScreens: ["home"],
      expectFeatures: { home: ["browse", "checkout"] },
    },
    {
      name: "an unserved P0 feature gets its own screen",
      screens: [screen("home", ["browse"])],
      expectScreens: ["home", "checkout"],
      expectFeatures: { home: ["browse"], checkout: ["checkout"] },
    },
    {
      name: "an unserved P1 feature is left alone",
      screens: [screen("home", ["browse", "checkout"])],
      expectScreens: ["home"],
      expectFeatures: { home: ["browse", "checkout"] },
    },
  ];
  for (const { name, screens, expectScreens, expectFeatures } of cases) {
    const out = normaliseStage("design", design(screens), { product: input });
    assert.deepEqual(out.screens.map((s) => s.id), expectScreens, name);
    for (const [id, features] of Object.entries(expectFeatures)) {
      assert.deepEqual(out.screens.find((s) => s.id === id)?.features, features, name);
    }
    assert.ok(stageSchemas.design.safeParse(out).success, name);
  }
});

Deno.test("design: duplicate screen ids and routes are made unique; nav and flows follow", () => {
  const out = normaliseStage(
    "design",
    design([screen("Home", [], "/"), screen("home", [], "/"), screen("Detail", [], "../x/./y")], {
      navigation: {
        pattern: "tab-bar",
        items: [
          { label: "Home", screenId: "Home" },
          { label: "Again", screenId: "home" },
          { label: "Ghost", screenId: "ghost" },
        ],
      },
      flows: [
        {
          id: "Flow",
          name: "Flow",
          goal: "Goal",
          steps: [{ screenId: "Detail", action: "Opens" }, { screenId: "ghost", action: "Lost" }],
        },
        { id: "gone", name: "Gone", goal: "Goal", steps: [{ screenId: "nowhere", action: "x" }] },
      ],
    }),
  );
  assert.deepEqual(out.screens.map((s) => s.id), ["home", "home-2", "detail"]);
  assert.deepEqual(out.screens.map((s) => s.route), ["/", "/-2", "/x/y"]);
  assert.deepEqual(out.navigation.items, [{ label: "Home", screenId: "home" }]);
  assert.deepEqual(out.flows, [{
    id: "flow",
    name: "Flow",
    goal: "Goal",
    steps: [{ screenId: "detail", action: "Opens" }],
  }]);
});

Deno.test("architecture: every endpoint's entity and every reference exists", () => {
  const input = product([feature("browse"), feature("pay")]);
  const out = normaliseStage(
    "architecture",
    architecture(
      [entity("order item", [
        { name: "Order_ID", type: "uuid", required: true, unique: false, references: "Order" },
      ])],
      [
        endpoint("list-orders", "Order", ["browse", "ghost"]),
        endpoint("list-orders-again", "Order", ["pay"], "/api/list-orders"),
      ],
    ),
    { product: input },
  );
  const names = out.dataModel.entities.map((e) => e.name);
  assert.deepEqual(names, ["OrderItem", "Order"]);
  assert.equal(out.dataModel.entities[0].fields[1].name, "orderID");
  assert.equal(out.dataModel.entities[0].fields[1].references, "Order");
  assert.equal(out.endpoints.length, 1, "a second endpoint on the same method and path merges");
  assert.deepEqual(out.endpoints[0].features, ["browse", "pay"]);
  assert.ok(stageSchemas.architecture.safeParse(out).success);
});

Deno.test("architecture: an unserved P0 feature gets an endpoint on the entity it names", () => {
  const input = product([feature("track-parcels", "P0", "Track parcels"), feature("extras", "P1")]);
  const out = normaliseStage(
    "architecture",
    architecture(
      [entity("User"), entity("Parcel")],
      [endpoint("me", "User", [])],
    ),
    { product: input },
  );
  const added = out.endpoints.find((e) => e.features.includes("track-parcels"));
  assert.equal(added?.method, "POST");
  assert.equal(added?.entity, "Parcel");
  assert.equal(added?.path, "/api/track-parcels");
  assert.ok(!out.endpoints.some((e) => e.features.includes("extras")));
});

Deno.test("architecture: entities without an id get one; field names are unique identifiers", () => {
  const out = normaliseStage(
    "architecture",
    architecture(
      [{
        name: "2fa code",
        description: "Codes.",
        fields: [
          { name: "code", type: "text", required: true, unique: false, references: null },
          { name: "Code", type: "text", required: true, unique: false, references: null },
          { name: "9lives", type: "integer", required: false, unique: false, references: null },
        ],
        relations: [{ kind: "many-to-one", target: "Account" }],
      }],
      [endpoint("codes", "2fa code", [])],
    ),
  );
  const codes = out.dataModel.entities[0];
  assert.equal(codes.name, "E2faCode");
  assert.deepEqual(codes.fields.map((f) => f.name), ["id", "code", "code2", "f9lives"]);
  assert.equal(out.endpoints[0].entity, "E2faCode");
  assert.ok(out.dataModel.entities.some((e) => e.name === "Account"), "relation target added");
});

Deno.test("code: file paths are safe, relative and unique", () => {
  const cases: [input: string, expected: string | null][] = [
    ["../../etc/passwd", "etc/passwd"],
    ["/abs", "abs"],
    ["a/../../b", "a/b"],
    ["src\\routes\\x.ts", "src/routes/x.ts"],
    ["./src/./main.ts", "src/main.ts"],
    ["C:\\Windows\\system32", "C-/Windows/system32"],
    ["src/<script>.ts", "src/-script-.ts"],
    ["a//b///c", "a/b/c"],
    [".env", ".env"],
    ["...", null],
    ["/", null],
    ["  ", null],
    ["name\u0000.ts", "name-.ts"],
  ];
  for (const [input, expected] of cases) {
    assert.equal(safeFilePath(input), expected ?? "", input);
  }
  const out = normaliseStage(
    "code",
    code(["/src/a.ts", "src/a.ts", "../..", "src/a.ts", "README"], "../../nowhere"),
  );
  assert.deepEqual(out.files.map((f) => f.path), [
    "src/a.ts",
    "src/a-2.ts",
    "src/a-3.ts",
    "README",
  ]);
  assert.equal(
    out.entrypoint,
    "src/a.ts",
    "an entrypoint that is not a file falls back to the first",
  );
  assert.equal(out.files[0].language, "typescript");
});

Deno.test("normalising twice changes nothing, and the input is left as it was", () => {
  const input = product([feature("Search"), feature("search"), feature("Pay", "P1")]);
  const before = structuredClone(input);
  const once = normaliseStage("product", input);
  assert.deepEqual(input, before);
  assert.deepEqual(normaliseStage("product", once), once);

  const brandOnce = normaliseStage("brand", brand(GREY_PALETTE));
  assert.deepEqual(normaliseStage("brand", brandOnce), brandOnce);

  const designOnce = normaliseStage("design", design([screen("a", ["search"])]), { product: once });
  assert.deepEqual(normaliseStage("design", designOnce, { product: once }), designOnce);
});

Deno.test("any palette comes out AA and stable: 200 random palettes", () => {
  let state = 42;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const hex = () =>
    `#${
      Array.from({ length: 3 }, () => Math.floor(next() * 256).toString(16).padStart(2, "0"))
        .join("")
    }`;
  for (let run = 0; run < 200; run++) {
    const palette: Palette = {
      primary: hex(),
      secondary: hex(),
      accent: hex(),
      neutral: Array.from({ length: 10 }, hex),
      success: hex(),
      warning: hex(),
      danger: hex(),
    };
    const once = normaliseStage("brand", brand(palette));
    for (const pair of REQUIRED_TEXT_PAIRS) {
      const ratio = contrastRatio(
        roleHex(once.palette, pair.foreground),
        roleHex(once.palette, pair.background),
      );
      assert.ok(ratio >= AA_RATIO, `run ${run}: ${pair.foreground} on ${pair.background}`);
    }
    assert.deepEqual(normaliseStage("brand", once), once, `run ${run} is not stable`);
  }
});
