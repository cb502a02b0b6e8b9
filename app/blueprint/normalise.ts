/**
 * Deterministic post-processing of a stage output, applied after every provider
 * (docs/architecture.md §4): ids unique, references resolved, text colour pairs at WCAG AA, file paths
 * safe. Model output is repaired here, never rejected for these reasons.
 */
import { clampChroma, converter, formatHex } from "culori";
import type { StageName } from "./stages.ts";
import {
  type ArchitectureSpec,
  type BrandSpec,
  type CodeSpec,
  type ContrastPair,
  type DesignSpec,
  type Endpoint,
  type Entity,
  type EntityField,
  type Palette,
  type ProductSpec,
  type Screen,
  type StageOutputs,
  stageSchemas,
} from "./schemas.ts";
import { slugify } from "./ids.ts";
import {
  AA_RATIO,
  type ColourRole,
  contrastRatio,
  floorRatio,
  isNeutralRole,
  neutralIndex,
  passesAA,
  REQUIRED_TEXT_PAIRS,
  roleHex,
} from "./colour.ts";

const MAX = {
  screens: 24,
  endpoints: 80,
  fields: 30,
  entities: 30,
  nameCandidates: 10,
  contrast: 40,
} as const;

const toOklch = converter("oklch");

/**
 * The colour closest to `hex` (moving only OKLCH lightness) that reaches `min` contrast
 * against `against`. Terminates at black or white, which always reach AA.
 */
export function adjustForContrast(hex: string, against: string, min = AA_RATIO): string {
  if (contrastRatio(hex, against) >= min) return hex;
  const base = toOklch(hex);
  if (!base) return contrastRatio("#000000", against) >= min ? "#000000" : "#ffffff";
  const darken = contrastRatio("#000000", against) >= contrastRatio("#ffffff", against);
  for (let step = 1; step < 100; step++) {
    const l = darken ? base.l * (1 - step / 100) : base.l + (1 - base.l) * (step / 100);
    const candidate = formatHex(clampChroma({ ...base, l }, "oklch"));
    if (contrastRatio(candidate, against) >= min) return candidate;
  }
  return darken ? "#000000" : "#ffffff";
}

function setRole(palette: Palette, role: ColourRole, value: string): void {
  if (role === "white") return;
  if (isNeutralRole(role)) {
    const index = neutralIndex(role);
    palette.neutral[index] = value;
    // The scale stays light to dark: steps the moved one overtook take its value.
    const l = lightness(value);
    palette.neutral = palette.neutral.map((hex, i) =>
      (i > index && lightness(hex) > l) || (i < index && lightness(hex) < l) ? value : hex
    );
    return;
  }
  palette[role] = value;
}

/** The side of a pair to move: never white, chromatic before neutral, else the foreground. */
function adjustableSide(pair: { foreground: ColourRole; background: ColourRole }) {
  const { foreground, background } = pair;
  if (foreground === "white") return { move: background, keep: foreground };
  if (background === "white") return { move: foreground, keep: background };
  if (isNeutralRole(foreground) && !isNeutralRole(background)) {
    return { move: background, keep: foreground };
  }
  return { move: foreground, keep: background };
}

/** Moves colours until each pair reaches AA; returns whether anything changed. */
function fixPairs(
  palette: Palette,
  pairs: readonly { foreground: ColourRole; background: ColourRole }[],
): boolean {
  let changed = false;
  for (const pair of pairs) {
    const fg = roleHex(palette, pair.foreground);
    const bg = roleHex(palette, pair.background);
    if (passesAA(fg, bg)) continue;
    const { move, keep } = adjustableSide(pair);
    setRole(palette, move, adjustForContrast(roleHex(palette, move), roleHex(palette, keep)));
    changed = true;
  }
  return changed;
}

/**
 * Adjusts a palette so the required text pairs and the declared ones reach AA, and
 * returns it with its recomputed contrast table. Declared pairs that conflict with the
 * required ones (and so cannot all pass) are left out of the table.
 */
export function enforceContrast(
  palette: Palette,
  declared: readonly { foreground: ColourRole; background: ColourRole }[] = [],
): { palette: Palette; contrast: ContrastPair[] } {
  const adjusted: Palette = { ...palette, neutral: [...palette.neutral] };
  const seen = new Set<string>();
  const pairs = [...REQUIRED_TEXT_PAIRS, ...declared].filter((pair) => {
    const key = `${pair.foreground}/${pair.background}`;
    if (pair.foreground === pair.background || seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, MAX.contrast);
  for (let pass = 0; pass < 4 && fixPairs(adjusted, pairs); pass++);
  // Required pairs only ever darken text/fills against light backgrounds, so one
  // monotone series of passes settles them even after conflicting declared pairs.
  for (let pass = 0; pass < 4 && fixPairs(adjusted, REQUIRED_TEXT_PAIRS); pass++);
  const contrast = pairs.map((pair) => {
    const foregroundHex = roleHex(adjusted, pair.foreground);
    const backgroundHex = roleHex(adjusted, pair.background);
    const exact = contrastRatio(foregroundHex, backgroundHex);
    return {
      foreground: pair.foreground,
      background: pair.background,
      foregroundHex,
      backgroundHex,
      // Rounded down so the table never overstates a ratio.
      ratio: floorRatio(exact),
      passesAA: exact >= AA_RATIO,
    };
  }).filter((row) => row.passesAA);
  return { palette: adjusted, contrast };
}

/** Suffixes `-2`, `-3`, ... until `value` is not in `taken`; records the result. */
function claim(value: string, taken: Set<string>, join = "-"): string {
  let candidate = value;
  for (let n = 2; taken.has(candidate); n++) candidate = `${value}${join}${n}`;
  taken.add(candidate);
  return candidate;
}

/**
 * Gives every item a unique slug id. Returns a map from each original id to the new id
 * of its first holder, so references written against the originals still resolve.
 */
function uniqueIds<T extends { id: string }>(
  items: T[],
  prefix: string,
  taken = new Set<string>(),
): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const item of items) {
    const next = claim(slugify(item.id, prefix), taken);
    if (!renamed.has(item.id)) renamed.set(item.id, next);
    renamed.set(next, renamed.get(next) ?? next);
    item.id = next;
  }
  return renamed;
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function normaliseProduct(product: ProductSpec): ProductSpec {
  uniqueIds(product.features, "feature");
  const storyIds = new Set<string>();
  for (const feature of product.features) uniqueIds(feature.userStories, "story", storyIds);
  // A blueprint without a P0 has no core loop to serve; the first feature is the core.
  if (!product.features.some((feature) => feature.priority === "P0")) {
    product.features[0].priority = "P0";
  }
  return product;
}

function lightness(hex: string): number {
  return toOklch(hex)?.l ?? 0;
}

function normaliseBrand(brand: BrandSpec): BrandSpec {
  const lower: Palette = {
    ...brand.palette,
    primary: brand.palette.primary.toLowerCase(),
    secondary: brand.palette.secondary.toLowerCase(),
    accent: brand.palette.accent.toLowerCase(),
    success: brand.palette.success.toLowerCase(),
    warning: brand.palette.warning.toLowerCase(),
    danger: brand.palette.danger.toLowerCase(),
    neutral: brand.palette.neutral.map((hex) => hex.toLowerCase())
      .sort((a, b) => lightness(b) - lightness(a)),
  };
  const { palette, contrast } = enforceContrast(lower, brand.contrast);
  brand.palette = palette;
  brand.contrast = contrast;
  if (!brand.nameCandidates.some((candidate) => candidate.name === brand.chosenName)) {
    brand.nameCandidates = [
      { name: brand.chosenName, strategy: "descriptive" as const, rationale: "The chosen name." },
      ...brand.nameCandidates,
    ].slice(0, MAX.nameCandidates);
  }
  for (const font of [brand.typography.heading, brand.typography.body, brand.typography.mono]) {
    font.weights = dedupe(font.weights).sort((a, b) => a - b);
  }
  return brand;
}

/** A safe absolute URL path: forward slashes, no dot segments, a restricted alphabet. */
function safeUrlPath(path: string): string {
  const segments = path.replace(/\\/g, "/").split("/")
    .map((segment) => segment.replace(/[^A-Za-z0-9_:{}.\-]/g, ""))
    .filter((segment) => segment !== "" && !/^\.+$/.test(segment));
  return `/${segments.join("/")}`;
}

function normaliseDesign(design: DesignSpec, product: ProductSpec | undefined): DesignSpec {
  const screenIds = uniqueIds(design.screens, "screen");
  const routes = new Set<string>();
  for (const screen of design.screens) screen.route = claim(safeUrlPath(screen.route), routes);
  if (product) {
    const known = new Set(product.features.map((feature) => feature.id));
    for (const screen of design.screens) {
      screen.features = dedupe(screen.features.filter((id) => known.has(id)));
    }
    for (const feature of product.features) {
      if (feature.priority !== "P0") continue;
      if (design.screens.some((screen) => screen.features.includes(feature.id))) continue;
      if (design.screens.length >= MAX.screens) {
        design.screens[0].features.push(feature.id);
        continue;
      }
      const screen: Screen = {
        id: claim(slugify(feature.id, "screen"), new Set(design.screens.map((s) => s.id))),
        name: feature.title,
        route: claim(safeUrlPath(slugify(feature.title, "screen")), routes),
        purpose: feature.description,
        sections: [feature.title],
        primaryAction: feature.title,
        features: [feature.id],
      };
      design.screens.push(screen);
    }
  }
  const resolveScreen = (id: string) => screenIds.get(id);
  const navigated = new Set<string>();
  design.navigation.items = design.navigation.items.flatMap((item) => {
    const screenId = resolveScreen(item.screenId);
    if (!screenId || navigated.has(screenId)) return [];
    navigated.add(screenId);
    return [{ ...item, screenId }];
  });
  if (design.navigation.items.length === 0) {
    design.navigation.items = [{ label: design.screens[0].name, screenId: design.screens[0].id }];
  }
  uniqueIds(design.flows, "flow");
  design.flows = design.flows.map((flow) => ({
    ...flow,
    steps: flow.steps.flatMap((step) => {
      const screenId = resolveScreen(step.screenId);
      return screenId ? [{ ...step, screenId }] : [];
    }),
  })).filter((flow) => flow.steps.length > 0);
  return design;
}

/** A PascalCase identifier for an entity name. */
function entityName(value: string): string {
  const name = value.split(/[^A-Za-z0-9]+/).filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1)).join("");
  if (!name) return "Entity";
  return /^[0-9]/.test(name) ? `E${name}` : name;
}

/** A camelCase identifier for a field name. */
function fieldName(value: string): string {
  const parts = value.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = parts.map((part, index) => {
    if (index === 0) {
      return part === part.toUpperCase()
        ? part.toLowerCase()
        : part[0].toLowerCase() + part.slice(1);
    }
    return part[0].toUpperCase() + part.slice(1);
  }).join("");
  if (!name) return "field";
  return /^[0-9]/.test(name) ? `f${name}` : name;
}

const ID_FIELD: EntityField = {
  name: "id",
  type: "uuid",
  required: true,
  unique: true,
  references: null,
};

function minimalEntity(name: string): Entity {
  return {
    name,
    description: `${name} records referenced by the API.`,
    fields: [
      { ...ID_FIELD },
      { name: "createdAt", type: "timestamp", required: true, unique: false, references: null },
    ],
    relations: [],
  };
}

/** The entity a feature most plausibly acts on: named in its text, else the first non-User. */
function entityForFeature(entities: Entity[], title: string, description: string): string {
  const haystack = `${title} ${description}`.toLowerCase();
  const named = entities.find((entity) =>
    entity.name !== "User" && haystack.includes(entity.name.toLowerCase())
  );
  return (named ?? entities.find((entity) => entity.name !== "User") ?? entities[0]).name;
}

function normaliseArchitecture(
  architecture: ArchitectureSpec,
  product: ProductSpec | undefined,
): ArchitectureSpec {
  const entities = architecture.dataModel.entities;
  const names = new Set<string>();
  const renamed = new Map<string, string>();
  for (const entity of entities) {
    const next = claim(entityName(entity.name), names, "");
    if (!renamed.has(entity.name)) renamed.set(entity.name, next);
    if (!renamed.has(next)) renamed.set(next, next);
    entity.name = next;
  }
  // Unknown names resolve to a minimal entity added on demand, so every reference holds.
  const resolve = (name: string): string => {
    const known = renamed.get(name) ?? renamed.get(entityName(name));
    if (known) return known;
    if (entities.length >= MAX.entities) return entities[0].name;
    const added = claim(entityName(name), names, "");
    renamed.set(name, added);
    renamed.set(added, added);
    entities.push(minimalEntity(added));
    return added;
  };
  for (let index = 0; index < entities.length; index++) {
    const entity = entities[index];
    const fieldNames = new Set<string>();
    for (const field of entity.fields) field.name = claim(fieldName(field.name), fieldNames, "");
    if (!fieldNames.has("id")) {
      entity.fields = [{ ...ID_FIELD }, ...entity.fields].slice(0, MAX.fields);
    }
    for (const field of entity.fields) {
      if (field.references !== null) field.references = resolve(field.references);
    }
    for (const relation of entity.relations) relation.target = resolve(relation.target);
  }

  const featureIds = product ? new Set(product.features.map((feature) => feature.id)) : undefined;
  uniqueIds(architecture.endpoints, "endpoint");
  const byRoute = new Map<string, Endpoint>();
  const endpoints: Endpoint[] = [];
  for (const endpoint of architecture.endpoints) {
    endpoint.path = safeUrlPath(endpoint.path);
    endpoint.entity = resolve(endpoint.entity);
    endpoint.features = dedupe(endpoint.features.filter((id) => featureIds?.has(id) ?? true));
    // Two endpoints on one method and path cannot both be served: the first keeps both jobs.
    const existing = byRoute.get(`${endpoint.method} ${endpoint.path}`);
    if (existing) {
      existing.features = dedupe([...existing.features, ...endpoint.features]);
      continue;
    }
    byRoute.set(`${endpoint.method} ${endpoint.path}`, endpoint);
    endpoints.push(endpoint);
  }
  architecture.endpoints = endpoints;

  for (const feature of product?.features ?? []) {
    if (feature.priority !== "P0") continue;
    if (endpoints.some((endpoint) => endpoint.features.includes(feature.id))) continue;
    if (endpoints.length >= MAX.endpoints) {
      endpoints[0].features.push(feature.id);
      continue;
    }
    const path = safeUrlPath(`/api/${slugify(feature.id, "action")}`);
    const route = byRoute.has(`POST ${path}`) ? `${path}-action` : path;
    const endpoint: Endpoint = {
      id: claim(slugify(`${feature.id}-action`), new Set(endpoints.map((e) => e.id))),
      method: "POST",
      path: route,
      purpose: `Performs "${feature.title}".`,
      entity: entityForFeature(entities, feature.title, feature.description),
      features: [feature.id],
      request: { fields: [] },
      response: { status: 200, description: `Result of "${feature.title}".`, fields: [] },
    };
    byRoute.set(`POST ${route}`, endpoint);
    endpoints.push(endpoint);
  }
  return architecture;
}

/**
 * A safe relative file path: forward slashes, no empty, `.` or `..` segments, no drive or
 * control characters. Empty when nothing safe is left.
 */
export function safeFilePath(path: string): string {
  return path.replace(/\\/g, "/").split("/")
    .map((segment) => segment.trim().replace(/[^A-Za-z0-9._@+$\-\[\]()]/g, "-"))
    .filter((segment) => segment !== "" && !/^\.+$/.test(segment))
    .join("/");
}

/** `src/a.ts` → `src/a-2.ts`: a unique path keeping the extension. */
function claimPath(path: string, taken: Set<string>): string {
  if (!taken.has(path)) {
    taken.add(path);
    return path;
  }
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  const cut = dot > slash + 1 ? dot : path.length;
  for (let n = 2;; n++) {
    const candidate = `${path.slice(0, cut)}-${n}${path.slice(cut)}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

function normaliseCode(code: CodeSpec): CodeSpec {
  const taken = new Set<string>();
  code.files = code.files.flatMap((file) => {
    const safe = safeFilePath(file.path);
    if (!safe) return [];
    return [{ ...file, path: claimPath(safe, taken), language: file.language.toLowerCase() }];
  });
  const entrypoint = safeFilePath(code.entrypoint);
  code.entrypoint = taken.has(entrypoint) ? entrypoint : (code.files[0]?.path ?? "README.md");
  return code;
}

const normalisers: {
  [S in StageName]: (output: StageOutputs[S], inputs: Partial<StageOutputs>) => StageOutputs[S];
} = {
  product: (output) => normaliseProduct(output),
  brand: (output) => normaliseBrand(output),
  design: (output, inputs) => normaliseDesign(output, inputs.product),
  architecture: (output, inputs) => normaliseArchitecture(output, inputs.product),
  code: (output) => normaliseCode(output),
};

/**
 * Returns the normalised copy of a stage output (the argument is not changed). `inputs`
 * are the already-normalised outputs of upstream stages, used to resolve references.
 */
export function normaliseStage<S extends StageName>(
  stage: S,
  output: StageOutputs[S],
  inputs: Partial<StageOutputs> = {},
): StageOutputs[S] {
  return normalisers[stage](structuredClone(output), inputs);
}

/** Parses an unknown value with the stage schema, then normalises it. */
export function parseAndNormalise<S extends StageName>(
  stage: S,
  output: unknown,
  inputs: Partial<StageOutputs> = {},
): StageOutputs[S] {
  const parsed = stageSchemas[stage].parse(output) as StageOutputs[S];
  return normaliseStage(stage, parsed, inputs);
}
