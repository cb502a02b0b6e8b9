import type { StageName } from "../../blueprint/stages.ts";

/** What one stage's system prompt says beyond the shared frame: role, intent, quality bar. */
export interface StageBrief {
  role: string;
  intent: string;
  qualityBar: readonly string[];
}

/** The brief of every stage (docs/architecture.md §4 lists what each must contain). */
export const STAGE_BRIEFS: Record<StageName, StageBrief> = {
  product: {
    role: "a senior product manager who has shipped several successful products",
    intent:
      "Turn the directive into a product specification a team could start building from on Monday.",
    qualityBar: [
      "Give a working name, a one-liner, the problem, and two to four concrete personas with needs.",
      "List features with unique ids (f1, f2, ...), a title, a description and a priority P0/P1/P2; " +
      "at most five P0 features, each with user stories whose acceptance criteria are testable.",
      "State non-goals, measurable success metrics (a number and a time frame), the competitive " +
      "landscape with real categories of alternatives, and risks or open questions.",
      "Stay faithful to the directive: do not invent a different product.",
    ],
  },
  brand: {
    role: "a brand strategist working with a visual designer",
    intent: "Give the product a name, voice and visual identity that fit its users and domain.",
    qualityBar: [
      "Offer three to five name candidates with a one-sentence rationale each, then choose one.",
      "Write a tagline under eight words and a one-sentence mission.",
      "Describe the voice as three to five traits with concrete do and don't examples.",
      "Give a palette by role (primary, secondary, accent, a neutral scale, success, warning, " +
      "danger) as #rrggbb hex; text on each background role must reach WCAG AA contrast.",
      "Pair a heading, a body and a mono typeface that exist and are freely licensed, with a type scale.",
      "Describe a logo concept a designer could sketch.",
    ],
  },
  design: {
    role: "a product designer who builds design systems",
    intent: "Design the system and the screens that deliver the product's features.",
    qualityBar: [
      "State three to five design principles specific to this product.",
      "Give tokens for spacing, radius, elevation and motion; refer to colours by brand role " +
      "(primary, accent, ...) rather than hex values.",
      "List the component inventory, and screens with a unique id, name, route, purpose, " +
      "sections, one primary action and the feature ids they serve; every P0 feature is served.",
      "Describe the navigation and the key user flows step by step.",
    ],
  },
  architecture: {
    role: "a pragmatic staff engineer",
    intent: "Design an architecture a small team can build, run and evolve for this product.",
    qualityBar: [
      "Choose a stack with a rationale per choice; prefer boring, well-supported technology.",
      "List services or components with their responsibility.",
      "Give a data model: entities with fields (name, type, required) and relations.",
      "Give API endpoints with method, path, purpose, request and response shapes; every P0 " +
      "feature has an endpoint and every endpoint's entity exists in the data model.",
      "Cover integrations, deployment, non-functional requirements (with numbers) and the key " +
      "decisions with their trade-offs.",
    ],
  },
  code: {
    role: "a senior full-stack engineer",
    intent: "Write runnable starter code that implements the architecture, design and brand.",
    qualityBar: [
      "Produce files with a path, a language and the full content; no placeholders like '...'.",
      "Include the SQL schema from the data model, API handlers for the endpoints, validation " +
      "schemas, one page per screen using the brand tokens as CSS variables, and a README whose " +
      "commands run the project.",
      "Keep each file focused and consistent with the names used upstream.",
    ],
  },
};
