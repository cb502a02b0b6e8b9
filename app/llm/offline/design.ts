/** The design stage of the offline engine: tokens, components, screens, navigation, flows. */
import type { DesignSpec, ProductSpec } from "../../blueprint/schemas.ts";
import type { Analysis } from "./analyse.ts";
import type { ArchetypeId } from "./archetypes/mod.ts";
import { planBlueprint } from "./plan.ts";
import { MOODS } from "./moods.ts";
import { fill } from "./text.ts";

const NAVIGATION: Record<ArchetypeId, DesignSpec["navigation"]["pattern"]> = {
  "marketplace": "top-bar",
  "saas-tool": "sidebar",
  "social-community": "tab-bar",
  "commerce": "top-bar",
  "booking-scheduling": "tab-bar",
  "content-media": "top-bar",
  "fintech": "sidebar",
  "health": "tab-bar",
  "education": "tab-bar",
  "logistics-on-demand": "tab-bar",
  "internal-b2b-ops": "sidebar",
  "developer-api": "sidebar",
};

const BASE_COMPONENTS: DesignSpec["components"] = [
  {
    name: "Button",
    purpose: "Every action; one primary per view.",
    variants: ["primary", "secondary", "ghost", "danger"],
  },
  {
    name: "TextField",
    purpose: "Labelled input with hint and inline error.",
    variants: ["default", "error", "disabled"],
  },
  {
    name: "Select",
    purpose: "Choose one option from a short list.",
    variants: ["default", "error"],
  },
  {
    name: "Card",
    purpose: "Groups related content on a surface.",
    variants: ["flat", "raised", "interactive"],
  },
  {
    name: "Dialog",
    purpose: "Confirms destructive or blocking decisions.",
    variants: ["confirm", "form"],
  },
  {
    name: "Toast",
    purpose: "Short-lived confirmation with undo.",
    variants: ["success", "error", "info"],
  },
  {
    name: "EmptyState",
    purpose: "Explains an empty view and offers the next step.",
    variants: ["first-use", "no-results"],
  },
  {
    name: "Skeleton",
    purpose: "Reserves layout while data streams in, so nothing shifts.",
    variants: ["text", "card", "table"],
  },
  {
    name: "Badge",
    purpose: "Short status labels.",
    variants: ["neutral", "success", "warning", "danger"],
  },
];

const COLOR_TOKENS: DesignSpec["tokens"]["colors"] = [
  { token: "color-bg", role: "neutral-50" },
  { token: "color-surface", role: "white" },
  { token: "color-text", role: "neutral-900" },
  { token: "color-text-muted", role: "neutral-600" },
  { token: "color-border", role: "neutral-200" },
  { token: "color-primary", role: "primary" },
  { token: "color-on-primary", role: "white" },
  { token: "color-secondary", role: "secondary" },
  { token: "color-accent", role: "accent" },
  { token: "color-success", role: "success" },
  { token: "color-warning", role: "warning" },
  { token: "color-danger", role: "danger" },
];

function words(value: string): Set<string> {
  return new Set(value.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length >= 4));
}

/** Suffixes `-2`, `-3`, ... until unique, as normalisation would. */
function claim(value: string, taken: Set<string>): string {
  let candidate = value;
  for (let n = 2; taken.has(candidate); n++) candidate = `${value}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** Builds the design spec for the product's features. */
export function buildDesign(analysis: Analysis, product: ProductSpec): DesignSpec {
  const { archetype, vars, routeVars } = analysis;
  const mood = MOODS[archetype.mood];
  const t = (template: string) => fill(template, vars);
  const blueprint = planBlueprint(analysis);
  const plan = blueprint.features;
  const templates = blueprint.screens;
  const main = plan.find((feature) => feature.priority === "P0")?.screen ?? templates[0].key;

  // Features without a plan entry (from another provider) go where their words fit best.
  const screenOf = (feature: ProductSpec["features"][number]) => {
    const planned = plan.find((candidate) => candidate.key === feature.id);
    if (planned && templates.some((screen) => screen.key === planned.screen)) return planned.screen;
    const featureWords = words(`${feature.title} ${feature.description}`);
    let best = { key: main, overlap: 0 };
    for (const screen of templates) {
      const screenWords = words(t(`${screen.name} ${screen.purpose} ${screen.sections.join(" ")}`));
      const overlap = [...featureWords].filter((word) => screenWords.has(word)).length;
      if (overlap > best.overlap) best = { key: screen.key, overlap };
    }
    return best.key;
  };
  const served = new Map<string, string[]>();
  for (const feature of product.features) {
    const key = screenOf(feature);
    served.set(key, [...(served.get(key) ?? []), feature.id]);
  }

  const ids = new Set<string>();
  const routes = new Set<string>();
  const included = templates.filter((screen, index) => index === 0 || served.has(screen.key));
  const screens = included.map((screen) => ({
    id: claim(screen.key, ids),
    name: t(screen.name),
    route: claim(fill(screen.route, routeVars), routes),
    purpose: t(screen.purpose),
    sections: screen.sections.map(t),
    primaryAction: t(screen.primaryAction),
    features: served.get(screen.key) ?? [],
  }));
  const idOf = new Map(included.map((screen, index) => [screen.key, screens[index].id]));

  const navigation = included.flatMap((screen) =>
    screen.nav ? [{ label: t(screen.nav), screenId: idOf.get(screen.key) ?? screen.key }] : []
  ).slice(0, 6);

  const flows = blueprint.flows.map((flow) => ({
    id: flow.key,
    name: t(flow.name),
    goal: t(flow.goal),
    steps: flow.steps.flatMap(([key, action]) => {
      const screenId = idOf.get(key);
      return screenId ? [{ screenId, action: t(action) }] : [];
    }),
  })).filter((flow) => flow.steps.length > 0);

  const entity = analysis.object.entity;
  const [sm, md, lg] = mood.radius;
  return {
    principles: [...mood.principles, ...archetype.principles].map(([title, description]) => ({
      title: t(title),
      description: t(description),
    })),
    tokens: {
      spacing: [0, 4, 8, 12, 16, 24, 32, 48, 64].map((px, index) => ({
        token: `space-${index}`,
        px,
      })),
      radius: [
        { token: "radius-sm", px: sm },
        { token: "radius-md", px: md },
        { token: "radius-lg", px: lg },
        { token: "radius-full", px: 9999 },
      ],
      elevation: [
        { token: "elevation-0", shadow: "none" },
        {
          token: "elevation-1",
          shadow: "0 1px 2px rgb(0 0 0 / 0.06), 0 1px 3px rgb(0 0 0 / 0.10)",
        },
        { token: "elevation-2", shadow: "0 4px 12px rgb(0 0 0 / 0.10)" },
        { token: "elevation-3", shadow: "0 12px 32px rgb(0 0 0 / 0.16)" },
      ],
      motion: [
        {
          token: "motion-fast",
          durationMs: Math.round(mood.motionMs * 0.6),
          easing: "cubic-bezier(0.2, 0, 0, 1)",
        },
        { token: "motion-base", durationMs: mood.motionMs, easing: "cubic-bezier(0.2, 0, 0, 1)" },
        {
          token: "motion-slow",
          durationMs: Math.round(mood.motionMs * 1.6),
          easing: "cubic-bezier(0.3, 0, 0, 1)",
        },
        {
          token: "motion-exit",
          durationMs: Math.round(mood.motionMs * 0.6),
          easing: "cubic-bezier(0.4, 0, 1, 1)",
        },
      ],
      colors: COLOR_TOKENS,
    },
    components: [
      ...BASE_COMPONENTS,
      {
        name: "Navigation",
        purpose: `The app's ${
          NAVIGATION[archetype.id].replace("-", " ")
        }, with the current screen marked.`,
        variants: ["default", "compact"],
      },
      ...archetype.components.map(([name, purpose, variants]) => ({
        name: name.replace("$O", entity),
        purpose: t(purpose),
        variants,
      })),
    ],
    screens,
    navigation: {
      pattern: NAVIGATION[archetype.id],
      items: navigation.length > 0
        ? navigation
        : [{ label: screens[0].name, screenId: screens[0].id }],
    },
    flows,
  };
}
