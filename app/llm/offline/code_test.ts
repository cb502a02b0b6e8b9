import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { normaliseStage } from "../../generation/normalise.ts";
import type { ArchitectureSpec, CodeSpec, StageOutputs } from "../../generation/schemas.ts";
import { STAGE_NAMES } from "../../generation/stages.ts";
import { buildCode } from "./code.ts";
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

Deno.test("hostile text from any provider lands in generated files only as inert text", async () => {
  const code = buildCode(hostileInputs());
  for (const page of code.files.filter((f) => f.path.endsWith(".html"))) {
    assert.doesNotMatch(page.content, /<script|<!--|onerror/i, page.path);
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
  const sql = file(code, "db/schema.sql");
  for (const line of sql.split("\n").filter((l) => l.startsWith("--"))) {
    assert.doesNotMatch(line, /\n/);
  }
});

Deno.test("the generated starter covers every entity, endpoint and screen", () => {
  const { architecture, design, brand, code } = blueprint(
    "a marketplace where local farmers sell vegetable boxes",
  );
  const sql = file(code, "db/schema.sql");
  assert.equal(
    sql.match(/^CREATE TABLE /gm)?.length,
    architecture.dataModel.entities.length,
    "one table per entity",
  );
  const routes = code.files.filter((f) => f.path.startsWith("src/routes/")).map((f) => f.content)
    .join("\n");
  for (const endpoint of architecture.endpoints) {
    assert.ok(
      routes.includes(`.${endpoint.method.toLowerCase()}(${JSON.stringify(endpoint.path)}`),
      `${endpoint.method} ${endpoint.path} has a handler`,
    );
  }
  for (const screen of design.screens) {
    assert.ok(code.files.some((f) => f.path === `web/pages/${screen.id}.html`), screen.id);
    assert.ok(file(code, "src/main.ts").includes(JSON.stringify(screen.route)), screen.route);
  }
  const tokens = file(code, "web/styles/tokens.css");
  for (const hex of [brand.palette.primary, ...brand.palette.neutral]) {
    assert.ok(tokens.includes(hex));
  }
  assert.ok(tokens.includes(brand.typography.heading.family));
  assert.match(file(code, "README.md"), /deno task dev/);
  assert.equal(code.entrypoint, "src/main.ts");
});

Deno.test("the generated SQL schema runs on PostgreSQL, cycles included", async () => {
  const cyclic = blueprint("a CRM for wedding photographers to manage leads and proposals");
  const architecture = structuredClone(cyclic.architecture);
  const workspace = architecture.dataModel.entities.find((e) => e.name === "Workspace");
  assert.ok(workspace);
  // Workspace → Template → Workspace: a reference to a table created later.
  workspace.fields.push({
    name: "defaultTemplateId",
    type: "uuid",
    required: false,
    unique: false,
    references: "Template",
  });
  const directives = [
    "a marketplace where local farmers sell vegetable boxes",
    "help small restaurants manage inventory and staff shifts",
    "an app for patients to log symptoms and share them with their physiotherapists",
  ];
  const schemas = [
    ...directives.map((directive) => file(blueprint(directive).code, "db/schema.sql")),
    file(buildCode({ ...cyclic, architecture }), "db/schema.sql"),
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
