import type { Env } from "../config/env.server.ts";
import type { CronTargets } from "../background/crons.server.ts";
import { openKv } from "../kv/open.server.ts";
import { openDatabase } from "../db/client.server.ts";
import type { Database } from "../db/client.server.ts";
import { migrate } from "../db/migrate.server.ts";
import { createRepositories } from "../db/repositories.server.ts";
import type { Repositories } from "../db/repositories.server.ts";
import { createSessionStore, resolveSessionSecret } from "../auth/session.server.ts";
import type { SessionStore } from "../auth/session.server.ts";
import { createPipeline } from "../generation/pipeline.server.ts";
import type { GenerateStage, Pipeline } from "../generation/pipeline.server.ts";
import { createGenerator } from "../llm/registry.server.ts";
import { createRequestMetrics } from "../observability/request-metrics.server.ts";
import type { RequestMetrics } from "../observability/request-metrics.server.ts";
import { pruneMetrics } from "../observability/retention.server.ts";
import { pruneSpend } from "../background/hygiene.server.ts";
import { createSyntheticChecks, defaultCheckTargets } from "../observability/synthetic.server.ts";
import { createCachePurge, createPageStore } from "../projects/public/page-store.server.ts";
import type { PageStore } from "../projects/public/page-store.server.ts";
import { withEdgeInvalidation } from "../projects/public/invalidation.server.ts";
import { checkHealth } from "../observability/health.server.ts";
import { createHealthMonitor } from "../observability/health-monitor.server.ts";
import type { HealthMonitor } from "../observability/health-monitor.server.ts";

/** Everything a request needs, built once per process in server.ts and passed in. */
export interface Services {
  env: Env;
  kv: Deno.Kv;
  database: Database;
  repos: Repositories;
  sessions: SessionStore;
  pipeline: Pipeline;
  /** Generations one user may run at once (the pipeline refuses more; creation checks first). */
  generationLimit: number;
  /** Anonymous public pages, landing page and public API as stored bytes (decision 015). */
  pages: PageStore;
  /** `/api/health`'s latest check result, kept fresh in the background. */
  health: HealthMonitor;
  /** Request metrics: recorded by the handler, flushed to KV in the background. */
  metrics: RequestMetrics;
  version: string;
  /**
   * Starts periodic work (resume sweep, metrics flush, synthetic checks, metrics retention);
   * not called by tests that drive it themselves.
   */
  startBackground(options?: BackgroundOptions): void;
  close(): Promise<void>;
}

/** What periodic work needs from server.ts. */
export interface BackgroundOptions {
  /** Answers synthetic checks in-process; without it they go to the listening port. */
  handler?: (request: Request) => Promise<Response>;
  /**
   * Hands the periodic tasks to crons registered at module load; without it they run on
   * timers in this process.
   */
  attachCrons?: (targets: CronTargets) => void;
}

/** How often request metrics go from memory to KV. */
const METRICS_FLUSH_MS = 5_000;

/** Deno Deploy's CDN invalidation endpoint, reachable from inside a deployment. */
export const DENO_DEPLOY_PURGE_URL = "http://cache.localhost/invalidate/http";

/** Generations one user may run at once. */
export const GENERATION_LIMIT_PER_USER = 2;

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
    /** Where CDN purges go; default: Deno Deploy's endpoint when deployed there, else none. */
    cachePurgeUrl?: string;
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
  // On Deno Deploy migrations are the pre-deploy step (`deno task migrate`): instances start
  // without waiting on them, and a database that is down at start gives 503s until it
  // recovers instead of a crashed isolate. Locally (embedded or any URL) start migrates.
  if (env.denoDeploymentId === undefined) await migrate(database.db);
  const pages = createPageStore({
    kv,
    purge: createCachePurge({
      url: options.cachePurgeUrl ?? (env.denoDeploymentId ? DENO_DEPLOY_PURGE_URL : undefined),
    }),
  });
  const stored = createRepositories({ db: database.db, readDb: database.readDb });
  const repos = { ...stored, projects: withEdgeInvalidation(stored.projects, { kv, pages }) };
  const secret = await resolveSessionSecret({ env, dataDir: env.dataDir, kv });
  const sessions = createSessionStore({ kv, secret });
  const generate = options.generate ?? createGenerator({ env, kv });
  const generationLimit = GENERATION_LIMIT_PER_USER;
  const pipeline = createPipeline({
    kv,
    repos,
    generate,
    leaseMs: options.leaseMs,
    maxRunningPerUser: generationLimit,
  });
  const metrics = createRequestMetrics({ kv });
  const timers: ReturnType<typeof setInterval>[] = [];
  const cancelTimers: (() => void)[] = [];
  // Runs only after `services` below exists: the checks see the whole service set.
  const health = createHealthMonitor({ run: () => checkHealth(services) });

  const services: Services = {
    env,
    kv,
    database,
    repos,
    sessions,
    pipeline,
    generationLimit,
    pages,
    health,
    metrics,
    version: VERSION,
    startBackground(background = {}) {
      health.start();
      void pipeline.sweep().catch((error) => console.error("resume sweep:", error));
      const sweep = () => pipeline.sweep();
      // Observability (issue 7): metrics flush, synthetic checks every minute, hourly retention.
      const flush = () =>
        void metrics.flush().catch((error) => console.error("metrics flush:", error));
      timers.push(setInterval(flush, METRICS_FLUSH_MS));
      const checks = createSyntheticChecks({
        kv,
        fetch: background.handler ?? fetch,
        origin: background.handler ? "http://localhost" : `http://127.0.0.1:${env.port}`,
        targets: () =>
          defaultCheckTargets(async () => (await repos.projects.listPublic({ limit: 1 })).items),
        webhookUrl: env.alertWebhookUrl,
      });
      const check = () => checks.run();
      const prune = () => Promise.all([pruneMetrics(kv), pruneSpend(kv)]);
      const logged = (name: string, task: () => Promise<unknown>) => () =>
        void task().catch((error) => console.error(`${name}:`, error));
      // Retention does not rely on the cron alone (issue 14 item 8): once shortly after start
      // (short-lived instances may never see the hourly run) and hourly while running.
      const pruneSoon = setTimeout(logged("metrics retention", prune), 60_000);
      timers.push(setInterval(logged("metrics retention", prune), 3_600_000));
      cancelTimers.push(() => clearTimeout(pruneSoon));
      if (background.attachCrons) {
        // Crons were registered at module load (app/background/crons.server.ts).
        background.attachCrons({ sweep, check, prune });
      } else {
        timers.push(
          setInterval(logged("resume sweep", sweep), 60_000),
          setInterval(logged("synthetic checks", check), 60_000),
        );
      }
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const stop of cancelTimers) stop();
      health.stop();
      await pages.close();
      await pipeline.close();
      await metrics.flush().catch((error) => console.error("metrics flush:", error));
      await database.close();
      if (!options.kv) kv.close();
    },
  };
  return services;
}
