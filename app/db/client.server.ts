/**
 * Opens the SQL database, choosing the driver from the URL (docs/architecture.md §2, ADR 002): no URL is
 * PGlite in `DATA_DIR/pg`, a Neon host is the Neon serverless driver, any other Postgres
 * URL is `pg`.
 */
// Drivers load when a connection of their kind opens (issue 14 item 6): an instance on Neon
// never loads PGlite's WASM or `pg`, an embedded one never loads the Neon driver.
import type { PGlite } from "@electric-sql/pglite";
import type { Client as NeonClient } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** The Drizzle handle every repository takes, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DatabaseDriver = "pglite" | "neon" | "pg";

/** URL that selects a fresh in-memory PGlite (tests). */
export const MEMORY_DATABASE_URL = "memory://";

/** Small pools: serverless instances are many and Postgres connections are few. */
const POOL_MAX = 10;
const IDLE_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;

export interface OpenDatabaseOptions {
  /** `DATABASE_URL`; unset means PGlite in `${dataDir}/pg`, `memory://` an in-memory PGlite. */
  url?: string;
  /** `DATABASE_READ_URL`: replica for lag-tolerant reads; unset means `url`. */
  readUrl?: string;
  /** `DATA_DIR`, home of the embedded PGlite database. */
  dataDir: string;
  /**
   * A WebSocket proxy for the Neon driver (`host:port/path`, no protocol; `?address=` is
   * appended), spoken over plain `ws:` without pipelining: for local Postgres only.
   */
  neonWsProxy?: string;
  /** Forces a driver for Postgres URLs regardless of host (tests run Neon against local). */
  driver?: "neon" | "pg";
}

/** An open database: a primary handle, a read handle, and their lifecycle. */
export interface Database {
  /** Writes and read-your-own-write reads. */
  db: Db;
  /** Reads that tolerate replica lag; the same handle as `db` without a read URL. */
  readDb: Db;
  /** Driver behind `db`. */
  driver: DatabaseDriver;
  /** Resolves when both handles answer a query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes every pool or embedded instance. */
  close(): Promise<void>;
}

interface Connection {
  db: Db;
  driver: DatabaseDriver;
  close(): Promise<void>;
}

/** Opens the database described by `options`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const primaryDriver = driverFor(options.url, { driver: options.driver });
  const readUrl = options.readUrl && options.readUrl !== options.url ? options.readUrl : undefined;
  if (readUrl) {
    const readDriver = driverFor(readUrl, {
      driver: options.driver,
      variable: "DATABASE_READ_URL",
    });
    // An embedded database has no replica: a second one would just be another, empty database.
    if (primaryDriver === "pglite" || readDriver === "pglite") {
      throw new Error("DATABASE_READ_URL needs DATABASE_URL to be a postgres:// URL too");
    }
  }
  const primary = await connect(options.url, { ...options, variable: "DATABASE_URL" });
  let replica: Connection | undefined;
  try {
    if (readUrl) replica = await connect(readUrl, { ...options, variable: "DATABASE_READ_URL" });
  } catch (error) {
    await primary.close();
    throw error;
  }
  const readDb = replica?.db ?? primary.db;
  return {
    db: primary.db,
    readDb,
    driver: primary.driver,
    ping: async () => {
      await primary.db.execute(sql`SELECT 1`);
      if (replica) await replica.db.execute(sql`SELECT 1`);
    },
    close: async () => {
      await Promise.all([primary.close(), replica?.close()]);
    },
  };
}

/** The driver a URL selects; throws a one-line error naming `variable` on a non-Postgres URL. */
export function driverFor(
  url: string | undefined,
  options: { driver?: "neon" | "pg"; variable?: string } = {},
): DatabaseDriver {
  const variable = options.variable ?? "DATABASE_URL";
  if (!url || url === MEMORY_DATABASE_URL) return "pglite";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${variable} is not a valid URL`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new Error(`${variable} must start with postgres:// or postgresql://`);
  }
  if (options.driver) return options.driver;
  return isNeonHost(parsed.hostname) ? "neon" : "pg";
}

function isNeonHost(hostname: string): boolean {
  return hostname.endsWith(".neon.tech") || hostname.endsWith(".neon.build");
}

async function connect(
  url: string | undefined,
  options: OpenDatabaseOptions & { variable: string },
): Promise<Connection> {
  const driver = driverFor(url, options);
  switch (driver) {
    case "pglite":
      return url === MEMORY_DATABASE_URL
        ? await wrapPglite(await openMemoryPglite())
        : await connectPglite(`${options.dataDir}/pg`);
    case "neon":
      return await connectNeon(url!, options.neonWsProxy);
    case "pg":
      return await connectPg(url!);
  }
}

async function connectPglite(dataDir: string): Promise<Connection> {
  await Deno.mkdir(dataDir, { recursive: true });
  const { PGlite } = await import("@electric-sql/pglite");
  return await wrapPglite(await PGlite.create(dataDir));
}

/** A fresh cluster's files: WASM initdb takes seconds, restoring a copy a fraction of that. */
let memoryTemplate: Promise<Blob> | undefined;

/** A new, empty in-memory database (tests open many, so they start from a template). */
async function openMemoryPglite(): Promise<PGlite> {
  const { PGlite } = await import("@electric-sql/pglite");
  memoryTemplate ??= (async () => {
    const template = await PGlite.create();
    try {
      return await template.dumpDataDir("none");
    } finally {
      await template.close();
    }
  })();
  try {
    return await PGlite.create({ loadDataDir: await memoryTemplate });
  } catch (error) {
    memoryTemplate = undefined;
    throw error;
  }
}

async function wrapPglite(client: PGlite): Promise<Connection> {
  const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
  return {
    db: drizzlePglite({ client }) as unknown as Db,
    driver: "pglite",
    close: () => client.close(),
  };
}

async function connectPg(url: string): Promise<Connection> {
  const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
    import("pg"),
    import("drizzle-orm/node-postgres"),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client dropped by the server emits "error" on the pool; unhandled, it would crash.
  pool.on("error", (error) => console.warn(`postgres pool: ${error.message}`));
  return {
    db: drizzlePg({ client: pool }) as unknown as Db,
    driver: "pg",
    close: () => pool.end(),
  };
}

async function connectNeon(url: string, wsProxy: string | undefined): Promise<Connection> {
  const [neon, { drizzle: drizzleNeon }] = await Promise.all([
    import("@neondatabase/serverless"),
    import("drizzle-orm/neon-serverless"),
  ]);
  const pool = new neon.Pool({
    connectionString: url,
    max: POOL_MAX,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // Per-pool settings instead of the global `neonConfig`, so one process can hold both.
  if (wsProxy) pool.Client = localProxyClient(neon.Client, wsProxy);
  pool.on("error", (error: Error) => console.warn(`neon pool: ${error.message}`));
  return {
    db: drizzleNeon({ client: pool }) as unknown as Db,
    driver: "neon",
    close: () => pool.end(),
  };
}

/** A Neon client class that tunnels through a local, plain-`ws:` proxy to a plain server. */
function localProxyClient(Client: typeof NeonClient, wsProxy: string): typeof NeonClient {
  return class LocalProxyClient extends Client {
    constructor(config?: ConstructorParameters<typeof NeonClient>[0]) {
      super(config);
      this.neonConfig.wsProxy = wsProxy;
      this.neonConfig.useSecureWebSocket = false;
      this.neonConfig.pipelineTLS = false;
      this.neonConfig.pipelineConnect = false;
    }
  };
}
