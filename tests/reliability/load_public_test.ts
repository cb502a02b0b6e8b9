/**
 * Load: 50 concurrent connections on a public project page (/p/:slug) for 30 s against the
 * production server (server.ts in its own process) on loopback: zero non-2xx, p99 reported.
 */
import assert from "node:assert/strict";
import { createScratchDatabase, startPostgres } from "../support/postgres.ts";
import {
  DIRECTIVE,
  median,
  PASSWORD,
  percentile,
  report,
  spawnServer,
} from "../support/reliability.ts";

const CONNECTIONS = 50;
const DURATION_MS = 30_000;

Deno.test({
  name: `load: ${CONNECTIONS} connections on a public page for ${
    DURATION_MS / 1000
  } s, zero non-2xx`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const postgres = await startPostgres();
    const scratch = await createScratchDatabase(postgres.url);
    const dataDir = await Deno.makeTempDir({ prefix: "atlas9-public-load-" });
    const server = await spawnServer({
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: scratch.url,
        SESSION_SECRET: "public-load-secret-public-load-secret-01",
      },
    });
    try {
      const api = (path: string, init: RequestInit & { token?: string } = {}) =>
        fetch(`${server.origin}${path}`, {
          ...init,
          headers: {
            "Content-Type": "application/json",
            ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
          },
        });
      const signup = await api("/api/v1/users", {
        method: "POST",
        body: JSON.stringify({ email: "public-load@example.com", password: PASSWORD }),
      });
      assert.equal(signup.status, 201);
      const { token } = await signup.json();
      const created = await api("/api/v1/projects", {
        method: "POST",
        token,
        body: JSON.stringify({ directive: DIRECTIVE, visibility: "public" }),
      });
      assert.equal(created.status, 201);
      const { id, slug } = await created.json();
      const events = await api(`/api/v1/projects/${id}/events`, { token });
      assert.match(await events.text(), /event: generation\.completed/);
      const path = `/p/${slug}`;
      const first = await fetch(`${server.origin}${path}`);
      assert.equal(first.status, 200);
      const bytes = (await first.arrayBuffer()).byteLength;

      const client = Deno.createHttpClient({});
      const latencies: number[] = [];
      const statuses: Record<number, number> = {};
      let failures = 0;
      const deadline = performance.now() + DURATION_MS;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < deadline) {
            const started = performance.now();
            try {
              const res = await fetch(`${server.origin}${path}`, { client });
              await res.arrayBuffer();
              latencies.push(performance.now() - started);
              statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            } catch {
              failures++;
            }
          }
        }),
      );
      client.close();

      const total = latencies.length + failures;
      const non2xx = Object.entries(statuses)
        .filter(([status]) => Number(status) < 200 || Number(status) > 299)
        .reduce((n, [, count]) => n + count, 0);
      report("public page load: requests", total);
      report("public page load: requests per second", (total / (DURATION_MS / 1000)).toFixed(0));
      report("public page load: page size (bytes)", bytes);
      report("public page load: non-2xx / connection errors", `${non2xx} / ${failures}`);
      report("public page load: p50 (ms)", median(latencies).toFixed(1));
      report("public page load: p95 (ms)", percentile(latencies, 95).toFixed(1));
      report("public page load: p99 (ms)", percentile(latencies, 99).toFixed(1));
      report("public page load: max (ms)", Math.max(...latencies).toFixed(1));
      assert.equal(failures, 0, "no connection error");
      assert.equal(non2xx, 0, `statuses: ${JSON.stringify(statuses)}`);
      assert.ok(total > CONNECTIONS, "the load ran");
      assert.doesNotMatch(server.stderr(), /error/i, "the server logged no error");
    } finally {
      await server.stop();
      await scratch.drop();
      await postgres.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
