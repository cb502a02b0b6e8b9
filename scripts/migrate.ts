/**
 * `deno task migrate`: applies the pending SQL migrations and exits — the pre-deploy step on
 * Deno Deploy, run against Neon's direct (unpooled) URL, because instances there do not
 * migrate at start (docs/decisions/014-deno-deploy.md). Reads DATABASE_URL like the server:
 * `DATABASE_URL=<Neon direct URL> deno task migrate`.
 */
import { EnvError, parseEnv } from "../app/config/env.server.ts";
import { openDatabase } from "../app/db/client.server.ts";
import { migrate } from "../app/db/migrate.server.ts";

let env;
try {
  // The pre-deploy step runs off Deploy: its embedded-store guard is for the server.
  env = parseEnv({ ...Deno.env.toObject(), DENO_DEPLOYMENT_ID: undefined });
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`Configuration error: ${error.message}`);
  Deno.exit(1);
}
const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir });
try {
  const applied = await migrate(database.db);
  console.log(applied.length ? `migrate: applied ${applied.join(", ")}` : "migrate: up to date");
} catch (error) {
  console.error(`migrate: failed: ${error instanceof Error ? error.message : error}`);
  Deno.exitCode = 1;
} finally {
  await database.close();
}
