import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { normaliseStage } from "../../blueprint/normalise.ts";
import {
  type ArchitectureSpec,
  type CodeSpec,
  type StageOutputs,
  stageSchemas,
} from "../../blueprint/schemas.ts";
import { STAGE_NAMES } from "../../blueprint/stages.ts";
import { buildCode, STARTER_IMPORTS } from "./code.ts";
import { TEMPLATE_FILES } from "./code/template_files.ts";
import { generateStage } from "./mod.ts";

function blueprint(directive: string): StageOutputs {
  const outputs: Partial<StageOutputs> = {};
  for (const stage of STAGE_NAMES) {
    (outputs as Record<string, unknown>)[stage] = generateStage(stage, directive, outputs);
  }
  return outputs as StageOutputs;
}

function file(code: CodeSpec, path: string): string {
  const found = code.files.find((f) => f.path === path);
  assert.ok(found, `missing ${path}`);
  return found.content;
}

/** Whether Deno's own parser accepts the source (`deno fmt` fails on syntax errors). */
async function parses(source: string, ext: string): Promise<boolean> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(source));
  await writer.close();
  return (await child.status).success;
}

const HOSTILE = `</script><script>alert(1)</script> */ \${process.exit()} \` " ' | <!-- -->`;

/** A blueprint whose every free-text field carries markup and quote-breaking payloads. */
function hostileInputs() {
  const base = blueprint("a booking app for dog groomers");
  const architecture: ArchitectureSpec = structuredClone(base.architecture);
  for (const endpoint of architecture.endpoints) {
    endpoint.purpose = `${endpoint.purpose} ${HOSTILE}`;
  }
  for (const entity of architecture.dataModel.entities) entity.description = HOSTILE;
  const design = structuredClone(base.design);
  for (const screen of design.screens) {
    screen.name = `${screen.name} ${HOSTILE}`;
    screen.purpose = HOSTILE;
    screen.sections = [HOSTILE];
    screen.primaryAction = HOSTILE;
  }
  design.navigation.items[0].label = HOSTILE;
  design.tokens.elevation[1].shadow = `0 1px 2px red; } body { display: none } ${HOSTILE}`;
  design.tokens.colors.push({ token: `x; } ${HOSTILE}`, role: "primary" });
  const brand = structuredClone(base.brand);
  brand.chosenName = `Evil ${HOSTILE}`;
  brand.tagline = HOSTILE;
  brand.typography.heading.family = `Inter"; } ${HOSTILE}`;
  return {
    architecture: normaliseStage("architecture", architecture, { product: base.product }),
    design: normaliseStage("design", design, { product: base.product }),
    brand: normaliseStage("brand", brand),
  };
}

function migrationSql(code: CodeSpec): string {
  return code.files.filter((f) => f.path.startsWith("db/migrations/")).map((f) => f.content)
    .join("\n");
}

Deno.test("hostile text from any provider lands in generated files only as inert text", async () => {
  const code = buildCode(hostileInputs());
  for (const page of code.files.filter((f) => f.path.endsWith(".html"))) {
    const markup = page.content.replace('<script type="module" src="/app.js"></script>', "");
    assert.doesNotMatch(markup, /<script|<!--|onerror/i, page.path);
    assert.match(page.content, /&lt;\/script&gt;/, `${page.path} shows the text escaped`);
  }
  for (const css of code.files.filter((f) => f.language === "css")) {
    const rules = css.content.replace(/\/\*[\s\S]*?\*\//g, "");
    assert.doesNotMatch(rules, /<|display:\s*none|\$\{/, css.path);
    assert.equal(rules.split("{").length, rules.split("}").length, `${css.path} braces balance`);
  }
  assert.doesNotMatch(file(code, "README.md"), /<script/);
  for (const source of code.files.filter((f) => f.language === "typescript")) {
    assert.ok(await parses(source.content, "ts"), `${source.path} does not parse`);
  }
  for (const line of migrationSql(code).split("\n").filter((l) => l.startsWith("--"))) {
    assert.doesNotMatch(line, /\n/);
  }
  assert.ok(stageSchemas.code.safeParse(code).success);
});

Deno.test("the starter serves every entity, endpoint and screen, with npm-only pinned imports", () => {
  const { architecture, design, brand, code } = blueprint(
    "a marketplace where local farmers sell vegetable boxes",
  );
  assert.equal(
    migrationSql(code).match(/^CREATE TABLE /gm)?.length,
    architecture.dataModel.entities.length + 1,
    "one table per entity, plus action_log",
  );
  const model = file(code, "src/model.ts");
  const readme = file(code, "README.md");
  for (const endpoint of architecture.endpoints) {
    const row = `| \`${endpoint.method}\` | \`${endpoint.path}\` |`;
    assert.ok(readme.includes(row), `${endpoint.method} ${endpoint.path} is in the API table`);
    assert.ok(model.includes(`"path":${JSON.stringify(endpoint.path)}`), endpoint.path);
  }
  assert.doesNotMatch(readme, /placeholder \(501\)|Not served/);
  for (const entity of architecture.dataModel.entities) {
    assert.match(model, new RegExp(`"name":"${entity.name}"`));
  }
  for (const screen of design.screens) {
    const page = file(code, `web/pages/${screen.id}.html`);
    assert.match(page, /data-api="\/api\/[a-z-]+"/, `${screen.id} fetches from the API`);
    assert.ok(model.includes(JSON.stringify(screen.route)), screen.route);
  }
  const tokens = file(code, "web/styles/tokens.css");
  for (const hex of [brand.palette.primary, ...brand.palette.neutral]) {
    assert.ok(tokens.includes(hex));
  }
  assert.ok(tokens.includes(brand.typography.heading.family));
  for (const source of code.files) {
    assert.doesNotMatch(source.content, /https?:\/\/(cdn|fonts|unpkg|esm\.sh|deno\.land|jsr)/);
    assert.doesNotMatch(source.content, /from "(jsr:|https?:)/, source.path);
  }
  const deno = JSON.parse(file(code, "deno.json"));
  assert.deepEqual(deno.imports, STARTER_IMPORTS);
  for (const task of ["dev", "start", "db:setup", "db:migrate", "test"]) {
    assert.ok(deno.tasks[task]);
  }
  assert.equal(code.entrypoint, "src/main.ts");
});

Deno.test("the starter pins only versions the Atlas9 lockfile already holds", async () => {
  const lock = await Deno.readTextFile(new URL("../../../deno.lock", import.meta.url));
  const code = buildCode(blueprint("an invoicing tool for freelancers"));
  const deno = JSON.parse(file(code, "deno.json"));
  for (const specifier of [...Object.values(deno.imports), ...deno.compilerOptions.types]) {
    const name = String(specifier).replace(/^npm:/, "");
    assert.ok(lock.includes(`"${name}"`), `${name} is in deno.lock`);
  }
  const typed = file(code, "src/db.ts").match(/@ts-types="npm:([^"]+)"/)?.[1];
  assert.ok(typed && lock.includes(`"${typed}"`), `${typed} is in deno.lock`);
});

Deno.test("template_files.ts matches ./code/template (run scripts/code-template.ts)", async () => {
  for (const template of TEMPLATE_FILES) {
    const disk = await Deno.readTextFile(
      new URL(`./code/template/${template.path}`, import.meta.url),
    );
    assert.equal(template.content, disk, template.path);
  }
  assert.ok(TEMPLATE_FILES.some((f) => f.path === "tests/api_smoke.ts"));
});

Deno.test("the largest data model the schema allows still fits the code schema's file limits", () => {
  const base = blueprint("help small restaurants manage inventory and staff shifts");
  const architecture = structuredClone(base.architecture);
  architecture.dataModel.entities = Array.from({ length: 30 }, (_, e) => ({
    name: `Entity Number ${e} With A Long Descriptive Name`,
    description: "x".repeat(600),
    fields: Array.from({ length: 30 }, (_, f) => ({
      name: `fieldNumber${f}WithALongDescriptiveNameThatGoesOnAndOn`,
      type: (["text", "integer", "numeric", "date", "jsonb", "timestamp"] as const)[f % 6],
      required: f % 2 === 0,
      unique: f === 3,
      references: f === 1 && e > 0 ? `Entity Number ${e - 1} With A Long Descriptive Name` : null,
    })),
    relations: [],
  }));
  const code = buildCode({ ...base, architecture });
  const parsed = stageSchemas.code.safeParse(code);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3)));
  assert.ok(code.files.some((f) => f.path.startsWith("src/model/")), "the model is split");
});

Deno.test("the generated migrations run on PostgreSQL, cycles included", async () => {
  const cyclic = blueprint("a CRM for wedding photographers to manage leads and proposals");
  const architecture = structuredClone(cyclic.architecture);
  const [first, second] = architecture.dataModel.entities.slice(1, 3);
  // A required reference each way: one of them must become nullable to insert a first row.
  first.fields.push({
    name: "secondId",
    type: "uuid",
    required: true,
    unique: false,
    references: second.name,
  });
  second.fields.push({
    name: "firstId",
    type: "uuid",
    required: true,
    unique: false,
    references: first.name,
  });
  const directives = [
    "a marketplace where local farmers sell vegetable boxes",
    "help small restaurants manage inventory and staff shifts",
    "an app for patients to log symptoms and share them with their physiotherapists",
  ];
  const schemas = [
    ...directives.map((directive) => migrationSql(blueprint(directive).code)),
    migrationSql(buildCode({ ...cyclic, architecture })),
  ];
  // One database, one schema per blueprint: PGlite takes seconds to start.
  const db = new PGlite();
  try {
    for (const [index, schema] of schemas.entries()) {
      await db.exec(`CREATE SCHEMA blueprint_${index}; SET search_path TO blueprint_${index};`);
      await db.exec(schema);
      const tables = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1",
        [`blueprint_${index}`],
      );
      assert.equal(tables.rows[0].n, schema.match(/^CREATE TABLE /gm)?.length);
    }
  } finally {
    await db.close();
  }
});
