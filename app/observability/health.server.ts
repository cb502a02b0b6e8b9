import type { Services } from "../services.server.ts";
import { healthProbeKey } from "../kv/keys.ts";

/** Result of `GET /api/health` (DESIGN §7). */
export interface HealthReport {
  status: "ok" | "degraded";
  checks: { kv: "ok" | "fail"; db: "ok" | "fail" };
  version: string;
}

const CHECK_TIMEOUT_MS = 2_000;

/** Probes KV and the database, each bounded by a timeout. */
export async function checkHealth(services: Services): Promise<HealthReport> {
  const [kv, db] = await Promise.all([
    probe(() => services.kv.get(healthProbeKey())),
    probe(() => services.database.ping()),
  ]);
  return {
    status: kv === "ok" && db === "ok" ? "ok" : "degraded",
    checks: { kv, db },
    version: services.version,
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
