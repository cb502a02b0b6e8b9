import { parseEnv } from "../app/config/env.server.ts";
import { createServices } from "../app/services.server.ts";
import { openDatabase } from "../app/db/client.server.ts";
import { makeSlug } from "../app/generation/projects.server.ts";
const dataDir = await Deno.makeTempDir();
const env = parseEnv({ DATA_DIR: dataDir, SESSION_SECRET: "x".repeat(40), LLM_PROVIDERS: "offline" });
const mode = Deno.args[0];
const kv = await Deno.openKv(mode === "memkv" || mode === "mem" ? ":memory:" : dataDir + "/kv.sqlite3");
const database = mode === "mem" ? await openDatabase({ url: "memory://", dataDir }) : undefined;
const s = await createServices({ env, kv, database });
const u = await s.repos.users.create({ email: "a@b.co", passwordHash: "x" });
const corpus = JSON.parse(await Deno.readTextFile("tests/fixtures/directives.json")).directives.map((d: any) => d.directive);
const times: number[] = [];
for (const d of [...corpus.slice(0,3), ...corpus]) {
  const p = await s.repos.projects.create({ userId: u.id, directive: d, title: d.slice(0,80), slug: makeSlug(d) });
  const t = performance.now();
  await s.pipeline.startGeneration({ projectId: p.id, userId: u.id, directive: d });
  await s.pipeline.idle();
  times.push(performance.now() - t);
}
const x = times.slice(3).sort((a,b)=>a-b);
console.log(mode, "p50", x[Math.floor(x.length/2)].toFixed(1), "p95", x[Math.ceil(.95*x.length)-1].toFixed(1));
await s.close(); kv.close();
