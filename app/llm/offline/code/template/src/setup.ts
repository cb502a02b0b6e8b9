import { createPool, databaseUrl } from "./db.ts";
import { migrate } from "./migrate.ts";

/** Creates the database named in DATABASE_URL when it does not exist, then migrates it. */
export async function setup(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name)) {
    throw new Error(`DATABASE_URL must name a database (letters, digits, _ or -), got "${name}".`);
  }
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = createPool(server.href);
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE "${name}"`);
      console.log(`Created database ${name}.`);
    }
  } finally {
    await admin.end();
  }
  const pool = createPool(url);
  try {
    const applied = await migrate(pool);
    console.log(applied.length ? `Applied ${applied.join(", ")}.` : "Schema is up to date.");
  } finally {
    await pool.end();
  }
}

if (import.meta.main) await setup(databaseUrl());
