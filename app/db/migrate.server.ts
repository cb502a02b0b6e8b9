/**
 * Applies the SQL migrations at start (docs/architecture.md §2). One transaction holds an advisory lock,
 * so two instances starting together apply each migration exactly once, and a failing
 * migration leaves nothing half-applied.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client.server.ts";
import type { MigrationSource } from "./migrations/generate.ts";
import { MIGRATIONS } from "./migrations/bundle.server.ts";
import { schemaMigrations } from "./schema.ts";

/** Arbitrary, but fixed: every Atlas9 instance must contend for the same lock. */
const MIGRATION_LOCK_ID = 0x41746c39;

const STATEMENT_BREAKPOINT = /^-->\s*statement-breakpoint\s*$/m;

/** Applies the pending migrations in order; returns the names it applied. */
export async function migrate(
  db: Db,
  options: { migrations?: readonly MigrationSource[] } = {},
): Promise<string[]> {
  const migrations = options.migrations ?? MIGRATIONS;
  return await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    // Created under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide.
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        applied_at timestamptz(3) NOT NULL DEFAULT now()
      )
    `);
    const rows = await tx.select({ name: schemaMigrations.name }).from(schemaMigrations);
    const applied = new Set(rows.map((row) => row.name));
    const newlyApplied: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      for (const statement of migration.sql.split(STATEMENT_BREAKPOINT)) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.insert(schemaMigrations).values({ name: migration.name });
      newlyApplied.push(migration.name);
    }
    return newlyApplied;
  });
}
