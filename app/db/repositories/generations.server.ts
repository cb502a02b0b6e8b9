import { and, desc, eq, getTableColumns, gte, inArray, lt, or, sql } from "drizzle-orm";
import { ulid } from "ulid";
import { STAGE_NAMES, type StageName } from "../../blueprint/stages.ts";
import type { Db } from "../client.server.ts";
import { generations, type GenerationStatus, projects } from "../schema.ts";

export type { GenerationStatus };

/** One version of one stage's output, with the accounting of the call that produced it. */
export interface Generation {
  id: string;
  projectId: string;
  stage: StageName;
  version: number;
  status: GenerationStatus;
  output: unknown;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  ttftMs: number;
  durationMs: number;
  cached: boolean;
  /** Repairs the output needed before it validated (ADR 012); always set on read rows. */
  repairs?: number;
  inputHash: string | null;
  createdAt: string;
}

/** The latest generation of each stage that has one. */
export type LatestStages = Partial<Record<StageName, Generation>>;

export interface GenerationsRepository {
  /** Records a stage result; null when (project, stage, version) was already written. */
  insert(options: Omit<Generation, "id" | "createdAt">): Promise<Generation | null>;
  /** The latest version of each stage of a project, in one query. */
  latestByProject(projectId: string): Promise<LatestStages>;
  /** The latest stages of many projects (for lists), from the read replica, in one query. */
  latestForProjects(projectIds: readonly string[]): Promise<Record<string, LatestStages>>;
  /** Version history, in pipeline stage order, newest version first. */
  list(options: { projectId: string; stage?: StageName }): Promise<Generation[]>;
  /**
   * One page of the version history in the same order, after `after` (a stage and version of
   * the previous page's last row); outputs only with `withOutput`, else `output` is null.
   */
  listVersions(options: {
    projectId: string;
    stage?: StageName;
    after?: { stage: StageName; version: number } | null;
    limit: number;
    withOutput?: boolean;
  }): Promise<Generation[]>;
  /** The version number the next run of a stage should write. */
  nextVersion(options: { projectId: string; stage: StageName }): Promise<number>;
  /** One version of one stage. */
  get(options: { projectId: string; stage: StageName; version: number }): Promise<
    Generation | null
  >;
  /** The outputs of some of a project's generations, by id, in one query (missing ids absent). */
  outputs(options: { projectId: string; ids: readonly string[] }): Promise<Map<string, unknown>>;
  /** Marks the latest completed version of each stage stale; returns how many it marked. */
  markStale(options: { projectId: string; stages: readonly StageName[] }): Promise<number>;
  /** Total LLM cost in USD of a user's generations created at or after `since`. */
  spendSince(options: { userId: string; since: Date | string }): Promise<number>;
}

function toGeneration(row: typeof generations.$inferSelect): Generation {
  return {
    id: row.id,
    projectId: row.projectId,
    stage: row.stage,
    version: row.version,
    status: row.status,
    output: row.output,
    provider: row.provider,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: Number(row.costUsd),
    ttftMs: row.ttftMs,
    durationMs: row.durationMs,
    cached: row.cached,
    repairs: row.repairs,
    inputHash: row.inputHash,
    createdAt: row.createdAt.toISOString(),
  };
}

function byStage(rows: Generation[]): LatestStages {
  const latest: LatestStages = {};
  for (const row of rows) latest[row.stage] = row;
  return latest;
}

/** Stages sort in pipeline order (product first), not alphabetically. */
const STAGE_ORDER = sql`CASE ${generations.stage} ${
  sql.join(
    STAGE_NAMES.map((stage, index) => sql`WHEN ${stage} THEN ${sql.raw(String(index))}`),
    sql` `,
  )
} END`;

/** Generation storage: every read is an owner's or the pipeline's, so all go to the primary. */
export function createGenerationsRepository(
  { db }: { db: Db; readDb?: Db },
): GenerationsRepository {
  return {
    async insert(generation) {
      const [row] = await db.insert(generations)
        .values({ id: ulid(), ...generation })
        .onConflictDoNothing({
          target: [generations.projectId, generations.stage, generations.version],
        })
        .returning();
      return row ? toGeneration(row) : null;
    },

    async latestByProject(projectId) {
      const rows = await db.selectDistinctOn([generations.stage]).from(generations)
        .where(eq(generations.projectId, projectId))
        .orderBy(generations.stage, desc(generations.version));
      return byStage(rows.map(toGeneration));
    },

    async latestForProjects(projectIds) {
      const result: Record<string, LatestStages> = {};
      if (projectIds.length === 0) return result;
      for (const id of projectIds) result[id] = {};
      // Owners' lists read their own writes: the primary (issue 14 item 3).
      const rows = await db
        .selectDistinctOn([generations.projectId, generations.stage]).from(generations)
        .where(inArray(generations.projectId, [...new Set(projectIds)]))
        .orderBy(generations.projectId, generations.stage, desc(generations.version));
      for (const row of rows) result[row.projectId][row.stage] = toGeneration(row);
      return result;
    },

    async list({ projectId, stage }) {
      const rows = await db.select().from(generations)
        .where(and(
          eq(generations.projectId, projectId),
          stage ? eq(generations.stage, stage) : undefined,
        ))
        .orderBy(STAGE_ORDER, desc(generations.version));
      return rows.map(toGeneration);
    },

    async listVersions({ projectId, stage, after, limit, withOutput }) {
      const { output, ...columns } = getTableColumns(generations);
      const afterIndex = after ? STAGE_NAMES.indexOf(after.stage) : -1;
      const rows = await db.select({ ...columns, output: withOutput ? output : sql<null>`null` })
        .from(generations)
        .where(and(
          eq(generations.projectId, projectId),
          stage ? eq(generations.stage, stage) : undefined,
          after
            ? or(
              sql`${STAGE_ORDER} > ${afterIndex}`,
              and(sql`${STAGE_ORDER} = ${afterIndex}`, lt(generations.version, after.version)),
            )
            : undefined,
        ))
        .orderBy(STAGE_ORDER, desc(generations.version))
        .limit(limit);
      return rows.map((row) => toGeneration(row as typeof generations.$inferSelect));
    },

    async nextVersion({ projectId, stage }) {
      const [row] = await db
        .select({ latest: sql<number | null>`max(${generations.version})` })
        .from(generations)
        .where(and(eq(generations.projectId, projectId), eq(generations.stage, stage)));
      return Number(row?.latest ?? 0) + 1;
    },

    async get({ projectId, stage, version }) {
      const [row] = await db.select().from(generations).where(and(
        eq(generations.projectId, projectId),
        eq(generations.stage, stage),
        eq(generations.version, version),
      ));
      return row ? toGeneration(row) : null;
    },

    async outputs({ projectId, ids }) {
      const found = new Map<string, unknown>();
      if (ids.length === 0) return found;
      const rows = await db.select({ id: generations.id, output: generations.output })
        .from(generations)
        .where(and(eq(generations.projectId, projectId), inArray(generations.id, [...ids])));
      for (const row of rows) found.set(row.id, row.output);
      return found;
    },

    async markStale({ projectId, stages }) {
      if (stages.length === 0) return 0;
      const rows = await db.update(generations)
        .set({ status: "stale" })
        .where(and(
          eq(generations.projectId, projectId),
          eq(generations.status, "completed"),
          sql`(${generations.stage}, ${generations.version}) IN (
            SELECT latest.stage, max(latest.version) FROM generations AS latest
            WHERE latest.project_id = ${projectId}
              AND latest.stage IN (${sql.join(stages.map((stage) => sql`${stage}`), sql`, `)})
            GROUP BY latest.stage
          )`,
        ))
        .returning({ id: generations.id });
      return rows.length;
    },

    async spendSince({ userId, since }) {
      const [row] = await db
        .select({ total: sql<string | null>`sum(${generations.costUsd})` })
        .from(generations)
        .innerJoin(projects, eq(projects.id, generations.projectId))
        .where(and(eq(projects.userId, userId), gte(generations.createdAt, new Date(since))));
      return Number(row?.total ?? 0);
    },
  };
}
