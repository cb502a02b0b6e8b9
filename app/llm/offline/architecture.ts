/** The architecture stage of the offline engine: data model and API derived from the features. */
import {
  type ArchitectureSpec,
  type Endpoint,
  type Entity,
  type EntityField,
  FIELD_TYPES,
  type FieldType,
  type MessageField,
  type ProductSpec,
} from "../../blueprint/schemas.ts";
import { type Analysis, entityVars } from "./analyse.ts";
import type { ArchetypeId, EntityTemplate } from "./archetypes/types.ts";
import { planBlueprint } from "./plan.ts";
import { article, fill, kebab, pluralise } from "./text.ts";

const USER: EntityTemplate = {
  name: "User",
  description: "Anyone who signs in, whatever their role.",
  fields: ["email:text!u", "displayName:text!", "role:text!", "createdAt:timestamp!"],
  api: "none",
};

/** Replaces `$P`, `$pId`-style tokens with the directive's entity and field names. */
function resolveTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/\$[PSOpso]/g, (token) => tokens[token] ?? token);
}

/** Parses the compact field notation `name:type!u>Ref` (see archetypes/types.ts). */
function parseField(spec: string, tokens: Record<string, string>): EntityField {
  const match = /^([^:]+):([a-z]+)(!?)(u?)(?:>(.+))?$/.exec(spec);
  if (!match || !(FIELD_TYPES as readonly string[]).includes(match[2])) {
    throw new Error(`Bad field spec: ${spec}`);
  }
  return {
    name: resolveTokens(match[1], tokens),
    type: match[2] as FieldType,
    required: match[3] === "!",
    unique: match[4] === "u",
    references: match[5] ? resolveTokens(match[5], tokens) : null,
  };
}

/** The REST collection path of an entity: `VegetableBox` → `/api/vegetable-boxes`. */
export function collectionPath(entity: string): string {
  return `/api/${pluralise(kebab(entity).replace(/-/g, " ")).replace(/ /g, "-")}`;
}

const SERVICES: Record<ArchetypeId, [string, string]> = {
  "marketplace": [
    "Payments and payouts",
    "Splits each order between sellers, holds funds until fulfilment, schedules payouts.",
  ],
  "saas-tool": ["Notifications", "Batches mentions, due dates and digests into email and Slack."],
  "social-community": [
    "Moderation",
    "Report queue, rate limits for new accounts and automated spam checks.",
  ],
  "commerce": ["Catalogue and stock", "Variants, stock ledger and reservations during checkout."],
  "booking-scheduling": [
    "Availability engine",
    "Computes free slots from hours, buffers, bookings and synced calendars.",
  ],
  "content-media": ["Media pipeline", "Resumable uploads, transcoding and CDN delivery."],
  "fintech": ["Ledger", "Append-only record of every money movement in integer cents."],
  "health": ["Consent service", "Grants, revokes and logs every access to health data."],
  "education": ["Practice scheduler", "Spaced-repetition scheduling of due items per learner."],
  "logistics-on-demand": [
    "Dispatch engine",
    "Offers jobs to the best available courier and batches routes.",
  ],
  "internal-b2b-ops": ["Audit log", "Immutable record of every change, exportable per period."],
  "developer-api": [
    "Metering",
    "Counts billable calls per project and enforces rate limits and budgets.",
  ],
};

const EXTRA_STACK: Partial<Record<ArchetypeId, [string, string, string]>> = {
  "logistics-on-demand": [
    "Realtime",
    "Server-Sent Events",
    "Live positions and ETAs reach watchers without WebSocket infrastructure.",
  ],
  "content-media": [
    "Media storage",
    "S3-compatible object storage behind a CDN",
    "Large files never pass through the app servers.",
  ],
  "developer-api": [
    "API contract",
    "OpenAPI 3.1 generated from the zod schemas",
    "Docs, SDKs and validation cannot drift apart.",
  ],
  "health": [
    "Encryption",
    "Envelope encryption of health fields with a managed KMS",
    "A database leak alone does not expose health data.",
  ],
  "fintech": [
    "Money",
    "Integer cents and ISO 4217 currency codes",
    "No floating-point rounding errors in amounts.",
  ],
  "booking-scheduling": [
    "Time",
    "UTC timestamps with IANA time zones per business",
    "Slots stay correct across daylight-saving changes.",
  ],
};

function messageFields(
  entity: Entity,
  options: { forWrite: boolean; allOptional: boolean },
): MessageField[] {
  return entity.fields.filter((field) =>
    !options.forWrite ||
    // The owner comes from the session, never from the body.
    (field.name !== "id" && field.name !== "createdAt" &&
      !(field.references === "User" && field.required))
  ).map((field) => ({
    name: field.name,
    type: field.type,
    required: options.allOptional ? false : field.required,
  }));
}

/** Builds the architecture for the product's features. */
export function buildArchitecture(analysis: Analysis, product: ProductSpec): ArchitectureSpec {
  const { archetype, vars } = analysis;
  const t = (template: string) => fill(template, vars);
  const tokens = entityVars(analysis);
  const blueprint = planBlueprint(analysis);
  const plan = blueprint.features;

  const templates = [USER, ...blueprint.entities];
  const seen = new Set<string>();
  const entityTemplates = templates.map((template) => ({
    ...template,
    name: resolveTokens(template.name, tokens),
  })).filter((template) => !seen.has(template.name) && seen.add(template.name));

  const entities: Entity[] = entityTemplates.map((template) => ({
    name: template.name,
    description: t(template.description),
    fields: [
      { name: "id", type: "uuid", required: true, unique: true, references: null },
      ...template.fields.map((spec) => parseField(spec, tokens)),
    ],
    relations: [],
  }));
  for (const entity of entities) {
    for (const field of entity.fields) {
      if (!field.references || field.references === entity.name) continue;
      const target = entities.find((candidate) => candidate.name === field.references);
      if (!target) continue;
      const kind = field.unique ? "one-to-one" : "many-to-one";
      if (!entity.relations.some((r) => r.target === target.name)) {
        entity.relations.push({ kind, target: target.name });
      }
      if (!target.relations.some((r) => r.target === entity.name)) {
        target.relations.push({
          kind: field.unique ? "one-to-one" : "one-to-many",
          target: entity.name,
        });
      }
    }
  }

  // Which entity serves each feature: the plan's, else the entity its words name, else the object.
  const entityOf = (feature: ProductSpec["features"][number]) => {
    const planned = plan.find((candidate) => candidate.key === feature.id);
    if (planned) return resolveTokens(planned.entity, tokens);
    const text = `${feature.title} ${feature.description}`.toLowerCase();
    return entities.find((e) =>
      e.name !== "User" && text.includes(kebab(e.name).replace(/-/g, " "))
    )
      ?.name ?? analysis.object.entity;
  };
  const featuresByEntity = new Map<string, string[]>();
  for (const feature of product.features) {
    const name = entityOf(feature);
    featuresByEntity.set(name, [...(featuresByEntity.get(name) ?? []), feature.id]);
  }

  const endpoints: Endpoint[] = [
    {
      id: "get-me",
      method: "GET",
      path: "/api/me",
      purpose: "The signed-in user.",
      entity: "User",
      features: [],
      request: { fields: [] },
      response: {
        status: 200,
        description: "The user.",
        fields: messageFields(entities[0], { forWrite: false, allOptional: false }),
      },
    },
  ];
  for (const [index, entity] of entities.entries()) {
    const api = entityTemplates[index].api;
    if (api === "none") continue;
    const path = collectionPath(entity.name);
    const slug = path.slice("/api/".length);
    const features = featuresByEntity.get(entity.name) ?? [];
    const full = messageFields(entity, { forWrite: false, allOptional: false });
    const label = kebab(entity.name).replace(/-/g, " ");
    endpoints.push({
      id: `list-${slug}`,
      method: "GET",
      path,
      purpose: `List ${pluralise(label)} with cursor pagination.`,
      entity: entity.name,
      features,
      request: {
        fields: [{ name: "cursor", type: "uuid", required: false }, {
          name: "limit",
          type: "integer",
          required: false,
        }],
      },
      response: {
        status: 200,
        description: `A page of ${pluralise(label)} and the next cursor.`,
        fields: [{ name: "items", type: "jsonb", required: true }, {
          name: "nextCursor",
          type: "text",
          required: false,
        }],
      },
    });
    endpoints.push({
      id: `get-${slug}`,
      method: "GET",
      path: `${path}/:id`,
      purpose: `One ${label}.`,
      entity: entity.name,
      features,
      request: { fields: [] },
      response: { status: 200, description: `The ${label}.`, fields: full },
    });
    if (api === "read") continue;
    endpoints.push({
      id: `create-${slug}`,
      method: "POST",
      path,
      purpose: `Create ${article(label)} ${label}.`,
      entity: entity.name,
      features,
      request: { fields: messageFields(entity, { forWrite: true, allOptional: false }) },
      response: { status: 201, description: `The created ${label}.`, fields: full },
    });
    if (api === "create-read") continue;
    endpoints.push({
      id: `update-${slug}`,
      method: "PATCH",
      path: `${path}/:id`,
      purpose: `Update fields of ${article(label)} ${label}.`,
      entity: entity.name,
      features,
      request: { fields: messageFields(entity, { forWrite: true, allOptional: true }) },
      response: { status: 200, description: `The updated ${label}.`, fields: full },
    });
    endpoints.push({
      id: `delete-${slug}`,
      method: "DELETE",
      path: `${path}/:id`,
      purpose: `Delete ${article(label)} ${label}.`,
      entity: entity.name,
      features,
      request: { fields: [] },
      response: { status: 204, description: "Nothing.", fields: [] },
    });
  }
  for (const feature of product.features) {
    const planned = plan.find((candidate) => candidate.key === feature.id);
    if (!planned?.action) continue;
    const entity = resolveTokens(planned.entity, tokens);
    const path = `${collectionPath(entity)}${planned.action.path}`;
    if (endpoints.some((e) => e.method === planned.action?.method && e.path === path)) continue;
    endpoints.push({
      id: `${kebab(entity)}-${planned.action.path.split("/").at(-1)}`,
      method: planned.action.method,
      path,
      purpose: t(planned.action.purpose),
      entity,
      features: [feature.id],
      request: { fields: [] },
      response: {
        status: 200,
        description: `The ${kebab(entity).replace(/-/g, " ")} after the change.`,
        fields: [],
      },
    });
  }

  const [serviceName, serviceJob] = SERVICES[archetype.id];
  const extraStack = EXTRA_STACK[archetype.id];
  return {
    stack: [
      {
        layer: "Runtime",
        choice: "Deno 2",
        rationale:
          "TypeScript without a build step, secure by default, one binary from laptop to production.",
      },
      {
        layer: "HTTP",
        choice: "Hono",
        rationale:
          "A small, fast router with typed handlers that runs on Deno, Node and edge runtimes.",
      },
      {
        layer: "Validation",
        choice: "zod",
        rationale: "One schema per entity validates every request body and documents the API.",
      },
      {
        layer: "Database",
        choice: "PostgreSQL 16",
        rationale:
          `Relational integrity across ${entities.length} entities, with JSONB where a shape varies.`,
      },
      {
        layer: "Data access",
        choice: "postgres.js",
        rationale: "Parameterised tagged-template SQL: no string concatenation, no ORM magic.",
      },
      {
        layer: "Web",
        choice: "Server-rendered HTML with CSS custom properties",
        rationale: "Fast first paint on any device; brand tokens live in one stylesheet.",
      },
      {
        layer: "Auth",
        choice: "Passkeys with email magic-link fallback",
        rationale: "No passwords to leak or reset.",
      },
      ...(extraStack
        ? [{ layer: extraStack[0], choice: extraStack[1], rationale: extraStack[2] }]
        : []),
    ],
    services: [
      {
        name: "Web app",
        responsibility: `Serves ${vars.ps} and ${vars.ss} the pages of every screen.`,
      },
      {
        name: "API",
        responsibility:
          `Validates and serves ${endpoints.length} JSON endpoints over ${entities.length} entities.`,
      },
      { name: serviceName, responsibility: t(serviceJob) },
      {
        name: "Job runner",
        responsibility: "Sends emails and reminders, retries webhooks and runs nightly clean-up.",
      },
    ],
    dataModel: { entities },
    endpoints,
    integrations: [...blueprint.integrations, ...archetype.integrations].slice(0, 6).map((
      [name, purpose],
    ) => ({ name, purpose: t(purpose) })),
    deployment: {
      target: "Deno Deploy with Neon Postgres",
      description:
        "The app deploys from the main branch; every pull request gets a preview with its own database branch. Migrations run before traffic switches.",
      environments: ["preview", "staging", "production"],
    },
    nonFunctional: [
      ...archetype.nonFunctional.map(([category, requirement]) => ({
        category,
        requirement: t(requirement),
      })),
      {
        category: "accessibility",
        requirement:
          "WCAG 2.2 AA: contrast, keyboard use and screen-reader labels on every screen.",
      },
      {
        category: "observability",
        requirement:
          "Structured logs with request ids; p95 latency and error rate per endpoint on a dashboard.",
      },
    ],
    decisions: [
      {
        title: "Primary keys",
        choice: "UUIDs generated by the database",
        rationale:
          "Ids can be exposed in URLs without leaking counts, and records merge across environments.",
      },
      {
        title: "Pagination",
        choice: "Cursor-based",
        rationale: "Stable pages while new records arrive; no slow OFFSET scans.",
      },
      {
        title: "Money and quantities",
        choice: "Integers (cents, units)",
        rationale: "Exact arithmetic; formatting happens at the edge.",
      },
      {
        title: `${serviceName} as a module, not a microservice`,
        choice: "One deployable",
        rationale:
          "A small team ships faster with one codebase; the module boundary allows a split later.",
      },
    ],
  };
}
