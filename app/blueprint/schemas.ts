/**
 * Output schemas of the five stages (docs/architecture.md §4). Every provider's output is parsed with
 * these, then normalised (normalise.ts). They are written to convert to strict JSON Schema
 * (OpenAI structured outputs, Anthropic tool input): every key required, no open records,
 * optional values as `nullable`, every list and string bounded.
 */
import { z } from "zod";
import type { StageName } from "./stages.ts";
import { COLOUR_ROLES, HEX_PATTERN, NEUTRAL_STEPS } from "./colour.ts";

/** Bumped whenever a stage schema changes shape; part of the LLM cache key. */
export const SCHEMA_VERSION = 1;

const short = z.string().min(1).max(120);
const text = z.string().min(1).max(600);
const longText = z.string().min(1).max(2000);
const id = z.string().min(1).max(64);
const hex = z.string().regex(HEX_PATTERN);
const list = <T extends z.ZodType>(item: T, min: number, max: number) =>
  z.array(item).min(min).max(max);

export const PRIORITIES = ["P0", "P1", "P2"] as const;

const colourRole = z.enum(COLOUR_ROLES);

export const FIELD_TYPES = [
  "uuid",
  "text",
  "integer",
  "numeric",
  "boolean",
  "timestamp",
  "date",
  "jsonb",
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export const RELATION_KINDS = ["one-to-one", "one-to-many", "many-to-one", "many-to-many"] as const;

export const NAME_STRATEGIES = [
  "compound",
  "blend",
  "metaphor",
  "suffix",
  "invented",
  "descriptive",
] as const;

export const LOGO_SHAPES = [
  "circle",
  "rounded-square",
  "square",
  "hexagon",
  "diamond",
  "shield",
  "wordmark",
] as const;

export const NFR_CATEGORIES = [
  "performance",
  "availability",
  "security",
  "privacy",
  "accessibility",
  "observability",
  "scalability",
  "compliance",
] as const;

const userStory = z.object({
  id,
  asA: short,
  iWant: text,
  soThat: text,
  acceptanceCriteria: list(text, 1, 8),
});

const feature = z.object({
  id,
  title: short,
  description: text,
  priority: z.enum(PRIORITIES),
  userStories: list(userStory, 1, 6),
});

const productSchema = z.object({
  workingName: short,
  oneLiner: text,
  problem: longText,
  targetUsers: text,
  personas: list(z.object({ name: short, description: text, goals: list(text, 1, 6) }), 1, 6),
  goals: list(text, 1, 8),
  features: list(feature, 1, 24),
  nonGoals: list(text, 0, 8),
  successMetrics: list(z.object({ name: short, target: text }), 1, 8),
  competitors: list(z.object({ name: short, angle: text, differentiation: text }), 0, 8),
  risks: list(z.object({ risk: text, mitigation: text }), 0, 8),
  openQuestions: list(text, 0, 8),
});

const font = z.object({
  family: short,
  fontsourcePackage: z.string().regex(/^@fontsource(-variable)?\/[a-z0-9-]+$/),
  weights: list(z.number().int().min(100).max(900), 1, 9),
  fallback: short,
});

const brandSchema = z.object({
  nameCandidates: list(
    z.object({ name: short, strategy: z.enum(NAME_STRATEGIES), rationale: text }),
    1,
    10,
  ),
  chosenName: short,
  tagline: short,
  mission: text,
  voice: z.object({
    traits: list(short, 1, 6),
    do: list(text, 1, 6),
    dont: list(text, 1, 6),
  }),
  palette: z.object({
    primary: hex,
    secondary: hex,
    accent: hex,
    neutral: z.array(hex).length(NEUTRAL_STEPS.length),
    success: hex,
    warning: hex,
    danger: hex,
  }),
  contrast: list(
    z.object({
      foreground: colourRole,
      background: colourRole,
      foregroundHex: hex,
      backgroundHex: hex,
      ratio: z.number().min(1).max(21),
      passesAA: z.boolean(),
    }),
    0,
    40,
  ),
  typography: z.object({
    heading: font,
    body: font,
    mono: font,
    scale: list(
      z.object({
        token: short,
        sizePx: z.number().min(8).max(160),
        lineHeight: z.number().min(0.8).max(3),
      }),
      1,
      12,
    ),
  }),
  logoConcept: z.object({
    description: text,
    shape: z.enum(LOGO_SHAPES),
    symbol: text,
    colourRoles: list(colourRole, 1, 4),
  }),
});

const designSchema = z.object({
  principles: list(z.object({ title: short, description: text }), 1, 8),
  tokens: z.object({
    spacing: list(z.object({ token: short, px: z.number().min(0).max(512) }), 1, 16),
    radius: list(z.object({ token: short, px: z.number().min(0).max(9999) }), 1, 8),
    elevation: list(z.object({ token: short, shadow: short }), 1, 8),
    motion: list(
      z.object({ token: short, durationMs: z.number().int().min(0).max(5000), easing: short }),
      1,
      8,
    ),
    colors: list(z.object({ token: short, role: colourRole }), 1, 24),
  }),
  components: list(z.object({ name: short, purpose: text, variants: list(short, 0, 8) }), 1, 32),
  screens: list(
    z.object({
      id,
      name: short,
      route: z.string().min(1).max(200),
      purpose: text,
      sections: list(short, 1, 10),
      primaryAction: short,
      features: list(id, 0, 24),
    }),
    1,
    24,
  ),
  navigation: z.object({
    pattern: z.enum(["top-bar", "sidebar", "tab-bar"]),
    items: list(z.object({ label: short, screenId: id }), 1, 10),
  }),
  flows: list(
    z.object({
      id,
      name: short,
      goal: text,
      steps: list(z.object({ screenId: id, action: text }), 1, 12),
    }),
    0,
    10,
  ),
});

const field = z.object({
  name: z.string().min(1).max(64),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  unique: z.boolean(),
  references: z.string().max(64).nullable(),
});

const messageField = z.object({
  name: z.string().min(1).max(64),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
});

const architectureSchema = z.object({
  stack: list(z.object({ layer: short, choice: short, rationale: text }), 1, 12),
  services: list(z.object({ name: short, responsibility: text }), 1, 12),
  dataModel: z.object({
    entities: list(
      z.object({
        name: z.string().min(1).max(64),
        description: text,
        fields: list(field, 1, 30),
        relations: list(
          z.object({ kind: z.enum(RELATION_KINDS), target: z.string().min(1).max(64) }),
          0,
          12,
        ),
      }),
      1,
      30,
    ),
  }),
  endpoints: list(
    z.object({
      id,
      method: z.enum(HTTP_METHODS),
      path: z.string().min(1).max(200),
      purpose: text,
      entity: z.string().min(1).max(64),
      features: list(id, 0, 24),
      request: z.object({ fields: list(messageField, 0, 30) }),
      response: z.object({
        status: z.number().int().min(100).max(599),
        description: text,
        fields: list(messageField, 0, 30),
      }),
    }),
    1,
    80,
  ),
  integrations: list(z.object({ name: short, purpose: text }), 0, 10),
  deployment: z.object({
    target: short,
    description: text,
    environments: list(short, 1, 5),
  }),
  nonFunctional: list(z.object({ category: z.enum(NFR_CATEGORIES), requirement: text }), 1, 16),
  decisions: list(z.object({ title: short, choice: short, rationale: text }), 1, 12),
});

const codeSchema = z.object({
  files: list(
    z.object({
      path: z.string().min(1).max(200),
      language: z.string().min(1).max(32),
      content: z.string().max(60_000),
    }),
    1,
    80,
  ),
  entrypoint: z.string().min(1).max(200),
  instructions: list(text, 1, 10),
});

/** The zod schema of each stage's output. */
export const stageSchemas = {
  product: productSchema,
  brand: brandSchema,
  design: designSchema,
  architecture: architectureSchema,
  code: codeSchema,
} as const satisfies Record<StageName, z.ZodType>;

export type ProductSpec = z.infer<typeof productSchema>;
export type BrandSpec = z.infer<typeof brandSchema>;
export type DesignSpec = z.infer<typeof designSchema>;
export type ArchitectureSpec = z.infer<typeof architectureSchema>;
export type CodeSpec = z.infer<typeof codeSchema>;
export type Feature = ProductSpec["features"][number];
export type Palette = BrandSpec["palette"];
export type ContrastPair = BrandSpec["contrast"][number];
export type Screen = DesignSpec["screens"][number];
export type Entity = ArchitectureSpec["dataModel"]["entities"][number];
export type EntityField = Entity["fields"][number];
export type Endpoint = ArchitectureSpec["endpoints"][number];
export type MessageField = Endpoint["request"]["fields"][number];
export type CodeFile = CodeSpec["files"][number];

/** Every stage's output type, by stage name. */
export type StageOutputs = {
  product: ProductSpec;
  brand: BrandSpec;
  design: DesignSpec;
  architecture: ArchitectureSpec;
  code: CodeSpec;
};
