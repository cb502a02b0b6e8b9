import type { Env } from "./config/env.server.ts";
import { openKv } from "./kv/open.server.ts";
import { openDatabase } from "./db/client.server.ts";
import type { Database } from "./db/client.server.ts";
import { migrate } from "./db/migrate.server.ts";
import { createRepositories } from "./db/repositories.server.ts";
import type { Repositories } from "./db/repositories.server.ts";
import { createSessionStore, resolveSessionSecret } from "./auth/session.server.ts";
import type { SessionStore } from "./auth/session.server.ts";
import { createPipeline } from "./generation/pipeline.server.ts";
import type { GenerateStage, Pipeline } from "./generation/pipeline.server.ts";
import { createGenerator } from "./llm/registry.server.ts";

/** Everything a request needs, built once per process in server.ts and passed in. */
export interface Services {
  env: Env;
  kv: Deno.Kv;
  database: Database;
  repos: Repositories;
  sessions: SessionStore;
  pipeline: Pipeline;
  version: string;
  /** Starts periodic work (resume sweep); not called by tests that drive it themselves. */
  startBackground(): void;
  close(): Promise<void>;
}

/** The app version reported by /api/health. */
export const VERSION = "0.1.0";

/** Opens KV and the database, applies migrations and wires the domain. */
export async function createServices(
  options: {
    env: Env;
    kv?: Deno.Kv;
    database?: Database;
    generate?: GenerateStage;
    leaseMs?: number;
  },
): Promise<Services> {
  const { env } = options;
  const kv = options.kv ?? await openKv(env);
  const database = options.database ??
    await openDatabase({
      url: env.databaseUrl,
      readUrl: env.databaseReadUrl,
      dataDir: env.dataDir,
    });
  await migrate(database.db);
  const repos = createRepositories({ db: database.db, readDb: database.readDb });
  const secret = await resolveSessionSecret({ env, dataDir: env.dataDir, kv });
  const sessions = createSessionStore({ kv, secret });
  const generate = options.generate ?? createGenerator({ env, kv });
  const pipeline = createPipeline({ kv, repos, generate, leaseMs: options.leaseMs });
  let sweepTimer: ReturnType<typeof setInterval> | undefined;

  return {
    env,
    kv,
    database,
    repos,
    sessions,
    pipeline,
    version: VERSION,
    startBackground() {
      void pipeline.sweep().catch((error) => console.error("resume sweep:", error));
      const sweep = () =>
        pipeline.sweep().then(() => {}, (error) => console.error("resume sweep:", error));
      if (typeof Deno.cron === "function") {
        Deno.cron("atlas9-resume-sweep", "* * * * *", sweep);
      } else {
        sweepTimer = setInterval(sweep, 60_000);
      }
    },
    async close() {
      clearInterval(sweepTimer);
      await pipeline.close();
      await database.close();
      if (!options.kv) kv.close();
    },
  };
}
