/**
 * The zod schemas of API v1: requests are parsed with them, responses are shaped by them,
 * and the OpenAPI document is generated from them (openapi.server.ts). One copy, no drift.
 */
import { z } from "zod";
import { emailSchema, loginPasswordSchema, passwordPolicy } from "../auth/password.server.ts";
import { PROJECT_STATUSES, PROJECT_VISIBILITIES } from "../db/schema.ts";
import { GENERATION_STATUSES } from "../db/schema.ts";
import { generationEventSchema } from "../generation/events.ts";
import { usageSchema } from "../blueprint/usage.ts";
import { directiveSchema } from "../projects/projects.server.ts";
import { stageSchemas } from "../blueprint/schemas.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { StageName } from "../blueprint/stages.ts";
import { idempotencyKeySchema } from "../kv/idempotency.server.ts";
import { PROBLEM_TYPES, problemTypeUri } from "./problems.ts";
import type { ProblemType } from "./problems.ts";
import { tokenNameSchema } from "./tokens.server.ts";

/** Component names of request schemas (parsed as input). */
export const requestSchemas = z.registry<{ id: string; description?: string }>();

/** Component names of response schemas (produced as output). */
export const responseSchemas = z.registry<{ id: string; description?: string }>();

const stageName = z.enum(STAGE_NAMES);
const visibility = z.enum(PROJECT_VISIBILITIES);
const timestamp = z.iso.datetime();
const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// ---------------------------------------------------------------------------- requests

const tokenName = tokenNameSchema.meta({
  description: "A name for the issued token, shown in settings (default “Mobile app”).",
});

/** `POST /api/v1/users`. */
export const signUpRequest = z.strictObject({
  email: emailSchema.meta({ format: "email", description: "Trimmed and lower-cased." }),
  password: passwordPolicy.meta({
    minLength: 8,
    maxLength: 128,
    description: "8–128 characters; very common passwords are refused.",
  }),
  tokenName: tokenName.optional(),
});
requestSchemas.add(signUpRequest, { id: "SignUpRequest" });

/** `POST /api/v1/auth/token`. */
export const logInRequest = z.strictObject({
  email: emailSchema.meta({ format: "email" }),
  password: loginPasswordSchema.meta({ minLength: 1, maxLength: 128 }),
  tokenName: tokenName.optional(),
});
requestSchemas.add(logInRequest, { id: "LogInRequest" });

/** Text that is stored and shown: control characters (NUL above all) are refused. */
const CONTROL_CHARACTERS = /\p{Cc}/u;
const noControlCharacters = { error: "Control characters are not allowed." };

/** `POST /api/v1/projects`. */
export const createProjectRequest = z.strictObject({
  directive: directiveSchema.refine(
    (directive) => !CONTROL_CHARACTERS.test(directive),
    noControlCharacters,
  ).meta({
    minLength: 3,
    maxLength: 400,
    description: "One line describing the product; 3–400 characters once runs of whitespace " +
      "are collapsed to one space; no control characters.",
    examples: ["a marketplace where local farmers sell vegetable boxes"],
  }),
  visibility: visibility.default("private"),
});
requestSchemas.add(createProjectRequest, { id: "CreateProjectRequest" });

/** `PATCH /api/v1/projects/:id`: at least one field. */
export const updateProjectRequest = z.strictObject({
  title: z.string().trim().min(1).max(80).regex(/^\P{Cc}*$/u, noControlCharacters).optional(),
  visibility: visibility.optional(),
}).refine((body) => body.title !== undefined || body.visibility !== undefined, {
  error: "Send title, visibility or both.",
}).meta({ minProperties: 1 });
requestSchemas.add(updateProjectRequest, { id: "UpdateProjectRequest" });

/** Query of `GET /api/v1/projects`. */
export const listProjectsQuery = z.object({
  cursor: z.string().min(1).max(512).optional().meta({
    description: "`nextCursor` of the previous page; opaque.",
  }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Query of `GET /api/v1/projects/:id/generations`. */
export const generationsQuery = z.object({
  stage: stageName.optional(),
  cursor: z.string().regex(/^[a-z]{1,20}\.\d{1,9}$/).optional().meta({
    description: "`nextCursor` of the previous page; opaque.",
  }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  include: z.enum(["output"]).optional().meta({
    description: "`output` adds each version's output; without it versions carry metadata " +
      "only (fetch one version's output with `include=output` and a `stage`).",
  }),
});

/** Query of `GET /api/v1/projects/:id/events` (for clients that cannot set headers). */
export const eventsQuery = z.object({
  lastEventId: z.string().regex(/^\d{1,12}$/).optional().meta({
    description: "Same as the `Last-Event-ID` header; the header wins when both are sent.",
  }),
});

/** `Idempotency-Key` request header. */
export const idempotencyKeyHeader = idempotencyKeySchema.meta({
  description: "Retrying with the same key and body returns the first response (kept 24 h).",
});

/** `Last-Event-ID` request header. */
export const lastEventIdHeader = z.string().regex(/^\d{1,12}$/).meta({
  description: "The `id` of the last event received; the stream resumes after it.",
});

/** A project id in a path. */
export const projectIdParam = z.string().regex(ulidPattern);

/** A public project's slug in a path. */
export const slugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/);

/** A stage name in a path. */
export const stageParam = stageName;

// --------------------------------------------------------------------------- responses

responseSchemas.add(usageSchema, {
  id: "Usage",
  description: "Tokens, cost and timing of the call that produced a stage.",
});
for (const stage of STAGE_NAMES) {
  responseSchemas.add(stageSchemas[stage], {
    id: `${stage[0].toUpperCase()}${stage.slice(1)}Output`,
    description: `The output of the ${stage} stage.`,
  });
}

/** An account. */
export const userResource = z.object({ id: z.string(), email: z.string(), createdAt: timestamp });
responseSchemas.add(userResource, { id: "User" });

/** 201 of `POST /api/v1/users`. */
export const signUpResponse = z.object({
  user: userResource,
  token: z.string().meta({ description: "The bearer token; shown once, store it securely." }),
});
responseSchemas.add(signUpResponse, { id: "SignUpResponse" });

/** 200 of `POST /api/v1/auth/token`. */
export const tokenResponse = z.object({
  token: z.string().meta({ description: "The bearer token; shown once, store it securely." }),
});
responseSchemas.add(tokenResponse, { id: "TokenResponse" });

const generationStatus = z.enum(GENERATION_STATUSES).meta({
  description: "`stale` once a stage it depends on was regenerated.",
});

/** The latest version of one stage, as part of a project. */
function stageEntry(stage: StageName) {
  return z.object({
    version: z.number().int().min(1),
    status: generationStatus,
    output: stageSchemas[stage].nullable(),
    usage: usageSchema,
  });
}

/** The stages of a project: only those generated so far are present. */
const projectStages = z.object({
  product: stageEntry("product").optional(),
  brand: stageEntry("brand").optional(),
  design: stageEntry("design").optional(),
  architecture: stageEntry("architecture").optional(),
  code: stageEntry("code").optional(),
}).meta({ description: "Latest version of each stage generated so far." });

const projectFields = {
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  directive: z.string(),
  visibility,
  status: z.enum(PROJECT_STATUSES),
  createdAt: timestamp,
  updatedAt: timestamp,
};

/** A project in a list (without stage outputs). */
export const projectSummaryResource = z.object(projectFields);
responseSchemas.add(projectSummaryResource, { id: "ProjectSummary" });

/** A project with the latest output of each stage. */
export const projectResource = z.object({ ...projectFields, stages: projectStages });
responseSchemas.add(projectResource, { id: "Project" });

/** 200 of `GET /api/v1/projects`. */
export const projectPage = z.object({
  items: z.array(projectSummaryResource),
  nextCursor: z.string().nullable().meta({ description: "null on the last page." }),
});
responseSchemas.add(projectPage, { id: "ProjectPage" });

/** One version of one stage. */
export const generationResource = z.discriminatedUnion(
  "stage",
  STAGE_NAMES.map((stage) =>
    z.object({
      stage: z.literal(stage),
      version: z.number().int().min(1),
      status: generationStatus,
      output: stageSchemas[stage].nullable().optional().meta({
        description: "Only with `?include=output`.",
      }),
      usage: usageSchema,
      createdAt: timestamp,
    })
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
);
responseSchemas.add(generationResource, { id: "Generation" });

/** 200 of `GET /api/v1/projects/:id/generations`. */
export const generationList = z.object({
  items: z.array(generationResource).meta({
    description: "In pipeline stage order, newest version first.",
  }),
  nextCursor: z.string().nullable().optional().meta({ description: "null on the last page." }),
});
responseSchemas.add(generationList, { id: "GenerationList" });

/** 202 of `POST /api/v1/projects/:id/stages/:stage/regenerate`. */
export const regenerationAccepted = z.object({
  projectId: z.string(),
  stage: stageName,
  version: z.number().int().min(1).meta({ description: "The version being generated." }),
  staleStages: z.array(stageName).meta({
    description: "Stages marked stale when the new version lands.",
  }),
  events: z.string().meta({ description: "Path of the event stream to follow it on." }),
});
responseSchemas.add(regenerationAccepted, { id: "RegenerationAccepted" });

responseSchemas.add(generationEventSchema, {
  id: "GenerationEvent",
  description: "One server-sent event: `event` is the SSE event name, `data` its JSON data.",
});

const problemTypeUris = Object.keys(PROBLEM_TYPES).map((type) =>
  problemTypeUri(type as ProblemType)
);

/** RFC 9457 problem details, with field errors on 400 and 422. */
export const problemResource = z.object({
  type: z.enum(problemTypeUris as [string, ...string[]]).meta({
    description: "Stable identifier of the kind of problem; branch on this.",
  }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.record(z.string(), z.array(z.string())).optional().meta({
    description: 'Messages by field path ("" for the whole body).',
  }),
});
responseSchemas.add(problemResource, { id: "Problem" });
