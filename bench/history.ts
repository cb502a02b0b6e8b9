/**
 * Per-project cost with a long history (issue 14 item 7): one project with 100 versions (20
 * per stage, offline outputs), in-process through the whole handler on in-memory PGlite.
 * Measures `/api/v1/projects/:id/generations` (default page: metadata only), the same with
 * `include=output&limit=100`, and the project page `/projects/:id`: p50 and body size.
 * `deno run -A bench/history.ts` prints the rows alone.
 */
import { signUp, startApi, waitForGeneration } from "../tests/support/api.ts";
import { Browser } from "../tests/support/app.ts";
import { STAGE_NAMES } from "../app/blueprint/stages.ts";
import type { Row } from "./table.ts";

const VERSIONS_PER_STAGE = 20;
const RUNS = 30;

export async function historyRows(): Promise<Row[]> {
  const api = await startApi();
  try {
    const { token, email } = await signUp(api);
    const created = await api.call("POST", "/api/v1/projects", {
      token,
      body: { directive: "a marketplace where local farmers sell vegetable boxes" },
    });
    const id = created.json.id as string;
    await waitForGeneration(api, token, id);
    const { repos } = api.app.services;
    const latest = await repos.generations.latestByProject(id);
    for (const stage of STAGE_NAMES) {
      const row = latest[stage]!;
      for (let version = 2; version <= VERSIONS_PER_STAGE; version++) {
        const { id: _id, createdAt: _at, ...rest } = row;
        await repos.generations.insert({ ...rest, version });
      }
    }
    const browser = new Browser(api.app);
    (await browser.post("/login", { email, password: "correct horse battery staple" })).body
      ?.cancel();
    const measure = async (fetchOnce: () => Promise<Response>) => {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < RUNS + 3; i++) {
        const t = performance.now();
        const response = await fetchOnce();
        bytes = (await response.arrayBuffer()).byteLength;
        if (i >= 3) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { p50: times[Math.floor(times.length / 2)], bytes };
    };
    const path = `/api/v1/projects/${id}/generations`;
    const results = [
      ["/generations (default: 50 versions, no outputs)", () => api.raw("GET", path, { token })],
      [
        "/generations?include=output&limit=100",
        () => api.raw("GET", `${path}?include=output&limit=100`, { token }),
      ],
      ["/projects/:id (page)", () => browser.request(`/projects/${id}`)],
    ] as const;
    const rows: Row[] = [];
    for (const [measureName, run] of results) {
      const m = await measure(run);
      rows.push({
        section: "Server",
        measure: `${measureName} with 100 versions, in-process`,
        result: `p50 ${m.p50.toFixed(1)} ms, ${(m.bytes / 1024).toFixed(1)} KiB`,
        goal: "bounded by the page, not the history",
        status: "info",
        values: { p50Ms: m.p50, bytes: m.bytes },
      });
    }
    return rows;
  } finally {
    await api.close();
  }
}

if (import.meta.main) {
  for (const row of await historyRows()) console.log(`${row.measure}: ${row.result}`);
}
