/**
 * Issue 16: the code stage of ≥20 blueprints across domains is written to disk, type-checked
 * with `deno check`, and each project's own `deno task test` runs against a database of its
 * own on the suite's PostgreSQL. At most 3 projects run at a time.
 */
import assert from "node:assert/strict";
import corpus from "../fixtures/directives.json" with { type: "json" };
import { normaliseStage } from "../../app/blueprint/normalise.ts";
import {
  type ArchitectureSpec,
  type CodeSpec,
  type StageOutputs,
  stageSchemas,
} from "../../app/blueprint/schemas.ts";
import { buildCode } from "../../app/llm/offline/code.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { generateStage } from "../../app/llm/offline/mod.ts";
import { createScratchDatabase } from "../support/postgres.ts";

const PARALLEL = 3;
const COUNT = 20;

/** Directives spread over the corpus's domains: round-robin over archetypes. */
function pick(): string[] {
  const byArchetype = new Map<string, string[]>();
  for (const entry of corpus.directives as { directive: string; archetype?: string }[]) {
    const key = entry.archetype ?? "other";
    byArchetype.set(key, [...(byArchetype.get(key) ?? []), entry.directive]);
  }
  const picked: string[] = [];
  for (let round = 0; picked.length < COUNT; round++) {
    const before = picked.length;
    for (const list of byArchetype.values()) {
      if (list[round] && picked.length < COUNT) picked.push(list[round]);
    }
    if (picked.length === before) break;
  }
  return picked;
}

function blueprint(directive: string): StageOutputs {
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    const raw = generateStage(stage, directive, outputs);
    (outputs as Record<string, unknown>)[stage] = normaliseStage(stage, raw as never, outputs);
  }
  return outputs as StageOutputs;
}

const HOSTILE = `</script><script>alert(1)</script> */ \${Deno.exit(1)} \` " ' | --`;

/**
 * A schema-valid architecture no offline blueprint produces, as an LLM might write it:
 * reserved words, duplicate and `id` fields, a reference to a missing entity, a required
 * cycle and a required self-reference, `{id}` paths, nested and unknown routes, hostile text.
 */
function oddArchitecture(base: ArchitectureSpec): ArchitectureSpec {
  const architecture = structuredClone(base);
  const field = (
    name: string,
    type: ArchitectureSpec["dataModel"]["entities"][0]["fields"][0]["type"],
    required: boolean,
    references: string | null = null,
    unique = false,
  ) => ({ name, type, required, unique, references });
  const order = architecture.dataModel.entities[1].name;
  architecture.dataModel.entities.push(
    {
      name: "Order Line",
      description: HOSTILE,
      fields: [
        field("id", "text", true),
        field("order", "uuid", true, order),
        field("select", "text", true, null, true),
        field("user", "uuid", true, architecture.dataModel.entities[0].name),
        field("Qty", "integer", false),
        field("amount", "numeric", true),
        field("on", "date", false),
        field("meta", "jsonb", false),
        field("flag", "boolean", true),
        field("value", "text", false),
        field("value", "text", true),
        field("ghost", "uuid", true, "Nope"),
        field("parentId", "uuid", true, "Order Line"),
        field("status", "text", true),
      ],
      relations: [],
    },
    {
      name: "Hen",
      description: "One side of a cycle.",
      fields: [field("eggId", "uuid", true, "Egg")],
      relations: [],
    },
    {
      name: "Egg",
      description: "The other side.",
      fields: [field("henId", "uuid", true, "Hen")],
      relations: [],
    },
  );
  const endpoint = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, entity: string) => ({
    id: `odd-${architecture.endpoints.length}`,
    method,
    path,
    purpose: `${method} ${HOSTILE}`,
    entity,
    features: [],
    request: { fields: [] },
    response: { status: 200, description: HOSTILE, fields: [] },
  });
  architecture.endpoints.push(
    endpoint("GET", "/api/order-lines/{lineId}", "Order Line"),
    endpoint("POST", "/v2/order-lines/:lineId/archive", "Order Line"),
    endpoint("PATCH", "/api/order-lines/{id}/approve", "OrderLine"),
    endpoint("DELETE", "/api/*", "Order Line"),
    endpoint("GET", "/api/ghosts", "Ghost"),
    endpoint("PATCH", "/api/me", "Order Line"),
    endpoint("GET", "/api/hens/:id/eggs", "Egg"),
    endpoint("POST", "/api/eggs/:id/hatch", "Egg"),
  );
  return stageSchemas.architecture.parse(architecture);
}

interface Project {
  directive: string;
  dir: string;
  database: { url: string; drop(): Promise<void> };
}

interface Result {
  directive: string;
  ok: boolean;
  ms: number;
  output: string;
}

async function run(cwd: string, args: string[]) {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  return { success, text };
}

/** Writes the blueprint's code stage to `dir` and points its .env at a fresh database. */
async function write(directive: string, dir: string, serverUrl: string): Promise<Project> {
  const code = directive === ODD ? oddCode() : blueprint(directive).code;
  assert.ok(stageSchemas.code.safeParse(code).success, `${directive}: code fits its schema`);
  for (const file of code.files) {
    const path = `${dir}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, file.content);
  }
  const database = await createScratchDatabase(serverUrl);
  // As the README says: copy .env.example to .env and point it at the database.
  await Deno.writeTextFile(`${dir}/.env`, `DATABASE_URL=${database.url}\n`);
  return { directive, dir, database };
}

const ODD = "(an LLM-shaped architecture with every oddity)";

function oddCode(): CodeSpec {
  const base = blueprint("a booking app for dog groomers");
  return buildCode({ ...base, architecture: oddArchitecture(base.architecture) });
}

/** Bounded parallel map. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const queue = [...items.entries()];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) results[next[0]] = await fn(next[1]);
  }));
  return results;
}

Deno.test("the code stage of 20 blueprints and an odd one type-checks and passes its own deno task test", async () => {
  const serverUrl = Deno.env.get("TEST_DATABASE_URL");
  assert.ok(serverUrl, "TEST_DATABASE_URL is set (deno task test sets it)");
  const directives = [...pick(), ODD];
  assert.ok(directives.length > COUNT, "the corpus spans enough blueprints");
  // One Deno workspace holding every project: a single `deno check` type-checks them all
  // (each with its own deno.json) and shares the library types, instead of 20 cold starts.
  const root = await Deno.makeTempDir({ prefix: "atlas9-stubs-" });
  const members = directives.map((_, index) => `p${index + 1}`);
  await Deno.writeTextFile(
    `${root}/deno.json`,
    JSON.stringify({ workspace: members.map((member) => `./${member}`) }),
  );
  const projects = await pool(
    directives,
    PARALLEL,
    (directive) => write(directive, `${root}/${members[directives.indexOf(directive)]}`, serverUrl),
  );
  try {
    const checkStarted = performance.now();
    const check = await run(
      root,
      [
        "check",
        ...members.flatMap((m) => [`${m}/src/main.ts`, `${m}/src/setup.ts`, `${m}/tests/`]),
      ],
    );
    const checkMs = performance.now() - checkStarted;
    assert.ok(check.success, `deno check failed:\n${check.text.slice(-6000)}`);

    // Each project's own task; its type check already ran above, over the same files.
    const results = await pool(projects, PARALLEL, async (project): Promise<Result> => {
      const started = performance.now();
      const test = await run(project.dir, ["task", "test", "--no-check"]);
      return {
        directive: project.directive,
        ok: test.success && /\bok \| 1 passed/.test(test.text),
        ms: performance.now() - started,
        output: test.text,
      };
    });
    const failed = results.filter((result) => !result.ok);
    const slowest = results.reduce((a, b) => (a.ms > b.ms ? a : b));
    console.log(
      `code stubs: ${
        results.length - failed.length
      }/${results.length} projects pass; deno check of all ${
        (checkMs / 1000).toFixed(1)
      } s; slowest deno task test ${(slowest.ms / 1000).toFixed(1)} s (${slowest.directive})`,
    );
    assert.equal(
      failed.length,
      0,
      failed.map((f) => `--- ${f.directive}\n${f.output.slice(-4000)}`).join("\n"),
    );
  } finally {
    await Promise.all(projects.map((project) => project.database.drop()));
    await Deno.remove(root, { recursive: true });
  }
});
