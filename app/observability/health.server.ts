import type { Services } from "../server/services.server.ts";
import { healthProbeKey, healthWriteProbeKey } from "../kv/keys.ts";

/** Result of `GET /api/health` (docs/architecture.md §7). */
export interface HealthReport {
  status: "ok" | "degraded";
  checks: { kv: "ok" | "fail"; db: "ok" | "fail" };
  version: string;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Probes KV and the database, each bounded by a timeout; writes count (`checkWrites`). */
export async function checkHealth(services: Services): Promise<HealthReport> {
  const [kvRead, db, writes] = await Promise.all([
    probe(() => services.kv.get(healthProbeKey())),
    probe(() => services.database.ping()),
    checkWrites(services),
  ]);
  const kv = kvRead === "ok" && writes.kv === "ok" ? "ok" : "fail";
  return {
    status: kv === "ok" && db === "ok" ? "ok" : "degraded",
    checks: { kv, db: db === "ok" && writes.db === "ok" ? "ok" : "fail" },
    version: services.version,
  };
}

/** How long a failed write keeps its store reported as failing, unless a write succeeds. */
export const WRITE_FAILURE_WINDOW_MS = 60_000;

type WriteOutcomes = WeakMap<
  Deno.Kv,
  { kv?: { ok: boolean; at: number }; db?: { ok: boolean; at: number } }
>;

/**
 * Last write outcome per store, per KV handle (one per app instance). Kept under a global
 * symbol: routes run from the Remix build's copy of this module, services from the source's.
 */
const OUTCOMES = Symbol.for("atlas9.health.writeOutcomes");
const writeOutcomes: WriteOutcomes =
  ((globalThis as Record<symbol, unknown>)[OUTCOMES] ??= new WeakMap()) as WriteOutcomes;

/**
 * Records the outcome of a write the app made (project creation records its database row:
 * success, or failure for a full disk), so health reports a database that accepts reads but
 * refuses writes.
 */
export function recordWrite(kv: Deno.Kv, store: "kv" | "db", ok: boolean, now = Date.now()) {
  const outcomes = writeOutcomes.get(kv) ?? {};
  outcomes[store] = { ok, at: now };
  writeOutcomes.set(kv, outcomes);
}

/**
 * The write half of health (issue 13 item 8), callable on its own: KV takes a small write with
 * a short expiry; the database fails while its last real write (a project row) failed within
 * `WRITE_FAILURE_WINDOW_MS` and none succeeded since.
 */
export async function checkWrites(
  services: Pick<Services, "kv">,
  now = Date.now(),
): Promise<{ kv: "ok" | "fail"; db: "ok" | "fail" }> {
  const probeWrite = await probe(() =>
    services.kv.set(healthWriteProbeKey(), now, { expireIn: WRITE_FAILURE_WINDOW_MS })
  );
  const outcomes = writeOutcomes.get(services.kv) ?? {};
  const recentFailure = (store: "kv" | "db") => {
    const last = outcomes[store];
    return last !== undefined && !last.ok && now - last.at < WRITE_FAILURE_WINDOW_MS;
  };
  return {
    // KV: the probe write decides (it also clears once the disk has room again).
    kv: probeWrite,
    db: recentFailure("db") ? "fail" : "ok",
  };
}

async function probe(check: () => Promise<unknown>): Promise<"ok" | "fail"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return "ok";
  } catch {
    return "fail";
  } finally {
    clearTimeout(timer);
  }
}
