/**
 * Drizzle table definitions (docs/architecture.md §6). The SQL in `migrations/` creates these tables;
 * this file describes them to the query builder and must match it column for column.
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
} from "drizzle-orm/pg-core";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import {
  GENERATION_STATUSES,
  type GenerationStatus,
  PROJECT_STATUSES,
  PROJECT_VISIBILITIES,
  type ProjectStatus,
  type ProjectVisibility,
} from "./enums.ts";

/** Millisecond precision, so a timestamp survives a round trip through a JS Date or a cursor. */
const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, precision: 3, mode: "date" });

export {
  GENERATION_STATUSES,
  type GenerationStatus,
  PROJECT_STATUSES,
  PROJECT_VISIBILITIES,
  type ProjectStatus,
  type ProjectVisibility,
};

export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique("users_email_key"),
  passwordHash: text("password_hash").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
}, (table) => [check("users_email_lowercase", sql`${table.email} = lower(${table.email})`)]);

export const apiTokens = pgTable("api_tokens", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  tokenHash: text("token_hash").notNull().unique("api_tokens_token_hash_key"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  lastUsedAt: timestamptz("last_used_at"),
  revokedAt: timestamptz("revoked_at"),
}, (table) => [index("api_tokens_user_id_idx").on(table.userId)]);

export const projects = pgTable("projects", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  slug: text("slug").notNull().unique("projects_slug_key"),
  directive: text("directive").notNull(),
  title: text("title").notNull(),
  visibility: text("visibility", { enum: PROJECT_VISIBILITIES }).notNull().default("private"),
  status: text("status", { enum: PROJECT_STATUSES }).notNull().default("queued"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
  updatedAt: timestamptz("updated_at").notNull().defaultNow(),
}, (table) => [
  // Leads with user_id, so it is also the projects(user_id) index; a second one would be waste.
  index("projects_user_id_created_at_id_idx").on(
    table.userId,
    table.createdAt.desc(),
    table.id.desc(),
  ),
  index("projects_public_created_at_id_idx")
    .on(table.createdAt.desc(), table.id.desc())
    .where(sql`${table.visibility} = 'public'`),
  check("projects_visibility_check", sql`${table.visibility} IN ('private', 'public')`),
  check(
    "projects_status_check",
    sql`${table.status} IN ('queued', 'running', 'completed', 'failed')`,
  ),
]);

export const generations = pgTable("generations", {
  id: text("id").primaryKey(),
  projectId: text("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  stage: text("stage", { enum: STAGE_NAMES }).notNull(),
  version: integer("version").notNull(),
  status: text("status", { enum: GENERATION_STATUSES }).notNull(),
  output: jsonb("output"),
  provider: text("provider").notNull(),
  model: text("model").notNull(),
  inputTokens: integer("input_tokens").notNull().default(0),
  outputTokens: integer("output_tokens").notNull().default(0),
  costUsd: numeric("cost_usd", { precision: 14, scale: 8, mode: "number" }).notNull().default(0),
  ttftMs: integer("ttft_ms").notNull().default(0),
  durationMs: integer("duration_ms").notNull().default(0),
  cached: boolean("cached").notNull().default(false),
  repairs: integer("repairs").notNull().default(0),
  inputHash: text("input_hash"),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
}, (table) => [
  // Leads with project_id, so it is also the generations(project_id) index.
  unique("generations_project_id_stage_version_key").on(
    table.projectId,
    table.stage,
    table.version,
  ),
  index("generations_created_at_idx").on(table.createdAt),
  check(
    "generations_stage_check",
    sql`${table.stage} IN ('product', 'brand', 'design', 'architecture', 'code')`,
  ),
  check("generations_version_check", sql`${table.version} > 0`),
  check("generations_status_check", sql`${table.status} IN ('completed', 'stale', 'failed')`),
]);

/** Applied migrations, by file name (written only by `migrate`). */
export const schemaMigrations = pgTable("schema_migrations", {
  name: text("name").primaryKey(),
  appliedAt: timestamptz("applied_at").notNull().defaultNow(),
});
