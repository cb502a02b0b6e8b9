/**
 * The shape of an archetype: what kind of product a directive describes, with the
 * catalogues the offline engine adapts to the directive's own actors and objects.
 *
 * Templates use placeholders filled from the directive's roles:
 * `{p} {ps} {P} {Ps}` primary user (one, many, capitalised), `{s} {ss} {S} {Ss}` their
 * counterpart, `{o} {os} {O} {Os}` the main object, `{ao}` the object with its article,
 * `{v} {V}` the core action, `{vs}` its third-person form ("sells"). Entity names use `$P`, `$S`, `$O` (PascalCase), field names
 * `$p`, `$o` (camelCase).
 */
import type { FieldType, NFR_CATEGORIES } from "../../../blueprint/schemas.ts";

export const ARCHETYPE_IDS = [
  "marketplace",
  "saas-tool",
  "social-community",
  "commerce",
  "booking-scheduling",
  "content-media",
  "fintech",
  "health",
  "education",
  "logistics-on-demand",
  "internal-b2b-ops",
  "developer-api",
] as const;
export type ArchetypeId = (typeof ARCHETYPE_IDS)[number];

export type MoodId =
  | "earthy"
  | "precise"
  | "playful"
  | "vibrant"
  | "friendly"
  | "editorial"
  | "trust"
  | "calm"
  | "bright"
  | "kinetic"
  | "industrial"
  | "technical";

export interface StoryTemplate {
  /** Whose story: the primary user, their counterpart, or an operator. */
  as: "p" | "s" | "admin";
  want: string;
  soThat: string;
  criteria: string[];
}

export interface FeatureTemplate {
  /** Becomes the feature id. */
  key: string;
  title: string;
  description: string;
  priority: "P0" | "P1" | "P2";
  stories: StoryTemplate[];
  /** Key of the screen that serves it. */
  screen: string;
  /** Entity template name it acts on (`$O`, `Order`). */
  entity: string;
  /** An endpoint beyond the entity's CRUD, path relative to the entity collection. */
  action?: { method: "POST" | "PATCH"; path: string; purpose: string };
  /** Only in this variant of the archetype (see `Archetype.variant`). */
  only?: string | readonly string[];
}

export interface ScreenTemplate {
  key: string;
  name: string;
  route: string;
  purpose: string;
  sections: string[];
  primaryAction: string;
  /** Navigation label when the screen is a top-level destination. */
  nav?: string;
  only?: string | readonly string[];
}

export interface FlowTemplate {
  key: string;
  name: string;
  goal: string;
  steps: [screen: string, action: string][];
  only?: string | readonly string[];
}

/**
 * Fields in a compact notation: `name:type`, then `!` required, `u` unique,
 * `>Entity` a reference (`$pId:uuid!>$P`).
 */
export type FieldSpec = `${string}:${FieldType}${string}`;

export interface EntityTemplate {
  name: string;
  description: string;
  fields: FieldSpec[];
  /** Which REST endpoints the entity gets. */
  api: "crud" | "read" | "create-read" | "none";
  only?: string | readonly string[];
}

export interface Archetype {
  id: ArchetypeId;
  label: string;
  /** Lemma → weight, for classification. */
  keywords: Record<string, number>;
  /** Default roles when the directive does not name them (singular). */
  roles: { primary: string; secondary: string; object: string; action: string };
  /** Default roles of variants that differ from `roles`. */
  variantRoles?: Record<string, Partial<Archetype["roles"]>>;
  mood: MoodId;
  /** Decides a variant (e.g. learner-led or teacher-led education) from the roles. */
  variant?: (context: { primary: string; lemmas: ReadonlySet<string> }) => string;
  oneLiner: string;
  problem: string;
  targetUsers: string;
  personaGoals: { p: string[]; s: string[] };
  personaDescriptions: { p: string; s: string };
  goals: string[];
  nonGoals: string[];
  metrics: [name: string, target: string][];
  competitors: [name: string, angle: string, differentiation: string][];
  risks: [risk: string, mitigation: string][];
  questions: string[];
  features: FeatureTemplate[];
  screens: ScreenTemplate[];
  flows: FlowTemplate[];
  entities: EntityTemplate[];
  components: [name: string, purpose: string, variants: string[]][];
  integrations: [name: string, purpose: string][];
  nonFunctional: [category: (typeof NFR_CATEGORIES)[number], requirement: string][];
  principles: [title: string, description: string][];
  taglines: string[];
  mission: string;
  /** Evocative words for brand names when the directive's domain has none. */
  nameRoots: [root: string, meaning: string][];
}
