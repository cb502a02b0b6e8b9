import { createPool, type Pool } from "./db.ts";

const MIGRATIONS = new URL("../db/migrations/", import.meta.url);

/**
 * Applies every db/migrations/*.sql file not applied yet, in name order, each in its own
 * transaction, recorded in schema_migrations. Safe to run again and from several processes.
 * Returns the names applied now.
 */
export async function migrate(pool: Pool): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(MIGRATIONS)) {
    if (entry.isFile && entry.name.endsWith(".sql")) names.push(entry.name);
  }
  names.sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('schema_migrations'))");
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const done = new Set(
      (await client.query<{ name: string }>("SELECT name FROM schema_migrations")).rows.map(
        (row) => row.name,
      ),
    );
    for (const name of names) {
      if (done.has(name)) continue;
      const sql = await Deno.readTextFile(new URL(name, MIGRATIONS));
      try {
        await client.query("BEGIN");
        await client.query(sql);
        await client.query("INSERT INTO schema_migrations (name) VALUES ($1)", [name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('schema_migrations'))").catch(() => {});
    client.release();
  }
  return applied;
}

if (import.meta.main) {
  const pool = createPool();
  try {
    const applied = await migrate(pool);
    console.log(applied.length ? `Applied ${applied.join(", ")}.` : "Schema is up to date.");
  } finally {
    await pool.end();
  }
}
