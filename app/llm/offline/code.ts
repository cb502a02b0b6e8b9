/**
 * The code stage of the offline engine: a runnable Deno starter (Hono, postgres.js, zod)
 * generated from the architecture, with one page per screen styled by the brand tokens.
 * Inputs may come from any provider, so every string is escaped for the file it lands in
 * and every identifier is rebuilt from a safe alphabet.
 */
import type {
  ArchitectureSpec,
  BrandSpec,
  CodeFile,
  CodeSpec,
  DesignSpec,
  Endpoint,
  Entity,
  EntityField,
  FieldType,
  MessageField,
} from "../../generation/schemas.ts";
import { roleHex } from "../../generation/normalise.ts";
import { collectionPath } from "./architecture.ts";
import { camel, kebab, pascal, pluralise, snake } from "./text.ts";

const SQL_TYPES: Record<FieldType, string> = {
  uuid: "uuid",
  text: "text",
  integer: "integer",
  numeric: "numeric",
  boolean: "boolean",
  timestamp: "timestamptz",
  date: "date",
  jsonb: "jsonb",
};

const SQL_RESERVED = new Set([
  "all",
  "analyse",
  "analyze",
  "and",
  "any",
  "array",
  "as",
  "asc",
  "both",
  "case",
  "cast",
  "check",
  "collate",
  "column",
  "constraint",
  "create",
  "current_date",
  "current_user",
  "default",
  "desc",
  "distinct",
  "do",
  "else",
  "end",
  "except",
  "false",
  "for",
  "foreign",
  "from",
  "grant",
  "group",
  "having",
  "in",
  "into",
  "is",
  "join",
  "leading",
  "limit",
  "not",
  "null",
  "offset",
  "on",
  "only",
  "or",
  "order",
  "placing",
  "primary",
  "references",
  "returning",
  "select",
  "table",
  "then",
  "to",
  "trailing",
  "true",
  "union",
  "unique",
  "user",
  "using",
  "when",
  "where",
  "window",
  "with",
]);

/** Action verbs whose effect a starter can implement: the status they set. */
const PARTICIPLES: Record<string, string> = {
  publish: "published",
  confirm: "confirmed",
  pay: "paid",
  ship: "shipped",
  resolve: "resolved",
  cancel: "cancelled",
  complete: "completed",
  approve: "approved",
  send: "sent",
  accept: "accepted",
  return: "returned",
  assign: "assigned",
  revoke: "revoked",
  archive: "archived",
  close: "closed",
  reject: "rejected",
};

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Text safe inside a one-line comment of any of the generated languages. */
function commentText(value: string): string {
  return value.replace(/\*\//g, "* /").replace(/[<>]/g, "").replace(/[\r\n]+/g, " ");
}

function markdownCell(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;")
    .replace(/`/g, "'");
}

function identifier(value: string, fallback: string): string {
  const cleaned = snake(value).replace(/[^a-z0-9_]/g, "");
  const name = cleaned || fallback;
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

function sqlName(value: string): string {
  return SQL_RESERVED.has(value) ? `"${value}"` : value;
}

function tableName(entity: string): string {
  return identifier(collectionPath(entity).slice("/api/".length), "items");
}

function columnName(field: string): string {
  return identifier(field, "value");
}

function tsKey(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function typeName(value: string, fallback: string): string {
  const name = pascal(value) || fallback;
  return /^[0-9]/.test(name) ? `T${name}` : name;
}

/** CREATE TABLE statements in dependency order, with foreign keys and indexes. */
function schemaSql(architecture: ArchitectureSpec, name: string): string {
  const entities = architecture.dataModel.entities;
  const byName = new Map(entities.map((entity) => [entity.name, entity]));
  const ordered: Entity[] = [];
  const visiting = new Set<string>();
  const visit = (entity: Entity) => {
    if (ordered.includes(entity) || visiting.has(entity.name)) return;
    visiting.add(entity.name);
    for (const field of entity.fields) {
      const target = field.references ? byName.get(field.references) : undefined;
      if (target && target !== entity) visit(target);
    }
    ordered.push(entity);
  };
  entities.forEach(visit);

  const created = new Set<string>();
  const deferred: string[] = [];
  const indexes: string[] = [];
  const tables = ordered.map((entity) => {
    const table = tableName(entity.name);
    const columns = entity.fields.map((field) => {
      const column = columnName(field.name);
      const parts = [sqlName(column), SQL_TYPES[field.type]];
      if (column === "id") parts.push("PRIMARY KEY DEFAULT gen_random_uuid()");
      else {
        if (field.required) parts.push("NOT NULL");
        if (field.unique) parts.push("UNIQUE");
        if (field.type === "timestamp" && /^(created|updated)_at$/.test(column)) {
          parts.push("DEFAULT now()");
        } else if (field.type === "boolean" && field.required) parts.push("DEFAULT false");
      }
      const target = field.references ? byName.get(field.references) : undefined;
      if (target && column !== "id") {
        const onDelete = field.required ? "CASCADE" : "SET NULL";
        const reference = `REFERENCES ${
          sqlName(tableName(target.name))
        } (id) ON DELETE ${onDelete}`;
        // A reference to a table created later (a cycle) is added once both exist.
        if (target === entity || created.has(target.name)) parts.push(reference);
        else {
          deferred.push(
            `ALTER TABLE ${sqlName(table)} ADD FOREIGN KEY (${sqlName(column)}) ${reference};`,
          );
        }
        if (!field.unique) {
          indexes.push(
            `CREATE INDEX ${table}_${column}_idx ON ${sqlName(table)} (${sqlName(column)});`,
          );
        }
      }
      return `  ${parts.join(" ")}`;
    });
    created.add(entity.name);
    return `-- ${commentText(entity.description)}\nCREATE TABLE ${sqlName(table)} (\n${
      columns.join(",\n")
    }\n);`;
  });
  return [
    `-- ${commentText(name)}: database schema generated from the architecture's data model.`,
    "-- Apply with: deno task db:migrate",
    "",
    tables.join("\n\n"),
    "",
    ...(deferred.length > 0 ? [...deferred, ""] : []),
    ...indexes,
    "",
  ].join("\n");
}

function zodFor(field: MessageField, options: { coerce: boolean; optional: boolean }): string {
  const prefix = options.coerce ? "z.coerce." : "z.";
  const base: Record<FieldType, string> = {
    uuid: "z.uuid()",
    text: "z.string().trim().min(1).max(2000)",
    integer: `${prefix}number().int()`,
    numeric: `${prefix}number()`,
    boolean: options.coerce ? "z.stringbool()" : "z.boolean()",
    timestamp: "z.iso.datetime()",
    date: "z.iso.date()",
    jsonb: "z.json()",
  };
  return options.optional || !field.required ? `${base[field.type]}.optional()` : base[field.type];
}

function schemaName(endpoint: Endpoint): string {
  return `${typeName(endpoint.id, "Endpoint")}${endpoint.method === "GET" ? "Query" : "Body"}`;
}

/** zod schemas for every endpoint that takes input. */
function schemasTs(architecture: ArchitectureSpec): string {
  const blocks = architecture.endpoints.filter((e) => e.request.fields.length > 0).map(
    (endpoint) => {
      const coerce = endpoint.method === "GET";
      const optional = endpoint.method === "PATCH";
      const fields = endpoint.request.fields.map((field) =>
        `  ${tsKey(field.name)}: ${zodFor(field, { coerce, optional })},`
      );
      return `/** ${
        commentText(`${endpoint.method} ${endpoint.path}: ${endpoint.purpose}`)
      } */\nexport const ${schemaName(endpoint)} = z.object({\n${fields.join("\n")}\n});`;
    },
  );
  return `import { z } from "zod";\n\n${blocks.join("\n\n")}\n`;
}

type Shape = "list" | "get" | "create" | "update" | "delete" | "action" | "other";

function shapeOf(endpoint: Endpoint): Shape {
  const collection = collectionPath(endpoint.entity);
  const byId = `${collection}/:id`;
  if (endpoint.path === collection) {
    if (endpoint.method === "GET") return "list";
    if (endpoint.method === "POST") return "create";
  }
  if (endpoint.path === byId) {
    if (endpoint.method === "GET") return "get";
    if (endpoint.method === "PATCH" || endpoint.method === "PUT") return "update";
    if (endpoint.method === "DELETE") return "delete";
  }
  if (endpoint.path.startsWith(`${byId}/`) && endpoint.method !== "GET") return "action";
  return "other";
}

/** Column assignments an action performs: a status and/or a `<participle>At` timestamp. */
function actionAssignments(endpoint: Endpoint, entity: Entity | undefined): string[] {
  const verb = endpoint.path.split("/").at(-1) ?? "";
  const participle = PARTICIPLES[verb];
  if (!participle || !entity) return [];
  const assignments: string[] = [];
  if (entity.fields.some((field) => field.name === "status")) {
    assignments.push(`status = \${${JSON.stringify(participle)}}`);
  }
  const stamp = entity.fields.find((field) => field.name === `${participle}At`);
  if (stamp?.type === "timestamp") assignments.push(`${columnName(stamp.name)} = now()`);
  return assignments;
}

function handler(endpoint: Endpoint, entity: Entity | undefined, variable: string): string {
  const table = sqlName(tableName(endpoint.entity));
  const route = JSON.stringify(endpoint.path);
  const method = endpoint.method.toLowerCase();
  const doc = `/** ${commentText(endpoint.purpose)} */`;
  const schema = schemaName(endpoint);
  const hasInput = endpoint.request.fields.length > 0;
  const owners = (entity?.fields ?? []).filter((field: EntityField) =>
    field.references === "User" && field.required
  );
  let body: string;
  switch (shapeOf(endpoint)) {
    case "list":
      body = [
        ...(hasInput ? [`  parseQuery(c, ${schema});`] : []),
        '  const cursor = c.req.query("cursor") ?? null;',
        '  const limit = Math.min(Number(c.req.query("limit") ?? 20), 100);',
        `  const rows = await sql\`SELECT * FROM ${table} WHERE (\${cursor}::uuid IS NULL OR id > \${cursor}::uuid) ORDER BY id LIMIT \${limit + 1}\`;`,
        "  const items = rows.slice(0, limit);",
        "  const nextCursor = rows.length > limit ? items.at(-1)?.id : null;",
        "  return c.json({ items, nextCursor });",
      ].join("\n");
      break;
    case "get":
      body =
        `  const [row] = await sql\`SELECT * FROM ${table} WHERE id = \${c.req.param("id")}\`;\n  return c.json(found(row));`;
      break;
    case "create": {
      const ownerFields = owners.map((field) => `${tsKey(field.name)}: currentUserId(c)`);
      const values = hasInput
        ? `{ ...(await parseBody(c, ${schema}))${
          ownerFields.length ? `, ${ownerFields.join(", ")}` : ""
        } }`
        : `{ ${ownerFields.join(", ")} }`;
      body =
        `  const values = ${values};\n  const [row] = await sql\`INSERT INTO ${table} \${sql(values)} RETURNING *\`;\n  return c.json(row, 201);`;
      break;
    }
    case "update":
      body = hasInput
        ? `  const changes = await parseBody(c, ${schema});\n  if (Object.keys(changes).length === 0) return c.json({ error: "Nothing to change" }, 400);\n  const [row] = await sql\`UPDATE ${table} SET \${sql(changes)} WHERE id = \${c.req.param("id")} RETURNING *\`;\n  return c.json(found(row));`
        : '  return c.json({ error: "Nothing to change" }, 400);';
      break;
    case "delete":
      body =
        `  const rows = await sql\`DELETE FROM ${table} WHERE id = \${c.req.param("id")} RETURNING id\`;\n  found(rows[0]);\n  return c.body(null, 204);`;
      break;
    case "action": {
      const assignments = actionAssignments(endpoint, entity);
      body = assignments.length > 0
        ? `  currentUserId(c);\n  const [row] = await sql\`UPDATE ${table} SET ${
          assignments.join(", ")
        } WHERE id = \${c.req.param("id")} RETURNING *\`;\n  return c.json(found(row));`
        : `  currentUserId(c);\n  return c.json({ error: ${
          JSON.stringify(`Not implemented yet: ${endpoint.purpose}`)
        } }, 501);`;
      break;
    }
    default:
      body = `  return c.json({ error: ${
        JSON.stringify(`Not implemented yet: ${endpoint.purpose}`)
      } }, 501);`;
  }
  return `${doc}\n${variable}.${method}(${route}, async (c) => {\n${body}\n});`;
}

/** One Hono router module per entity with endpoints. */
function routeFiles(
  architecture: ArchitectureSpec,
): { files: CodeFile[]; routers: [string, string][] } {
  const files: CodeFile[] = [];
  const routers: [string, string][] = [];
  const entities = new Map(architecture.dataModel.entities.map((e) => [e.name, e]));
  const groups = new Map<string, Endpoint[]>();
  for (const endpoint of architecture.endpoints) {
    groups.set(endpoint.entity, [...(groups.get(endpoint.entity) ?? []), endpoint]);
  }
  const taken = new Set<string>();
  for (const [entityName, endpoints] of groups) {
    const plural = pluralise(kebab(entityName).replace(/-/g, " "));
    let file = kebab(plural) || "items";
    for (let n = 2; taken.has(file); n++) file = `${kebab(plural) || "items"}-${n}`;
    taken.add(file);
    const variable = `${camel(file)}Routes`;
    const handlers = endpoints.map((endpoint) =>
      handler(endpoint, entities.get(entityName), variable)
    );
    const code = handlers.join("\n\n");
    const schemas = [...new Set(endpoints.map(schemaName))].filter((name) =>
      code.includes(`${name})`)
    )
      .sort();
    const helpers = ["currentUserId", "found", "parseBody", "parseQuery"]
      .filter((helper) => code.includes(`${helper}(`));
    const imports = [
      'import { Hono } from "hono";',
      'import { sql } from "../db.ts";',
      ...(helpers.length ? [`import { ${helpers.join(", ")} } from "../http.ts";`] : []),
      ...(schemas.length ? [`import { ${schemas.join(", ")} } from "../schemas.ts";`] : []),
    ];
    files.push({
      path: `src/routes/${file}.ts`,
      language: "typescript",
      content: `${imports.join("\n")}\n\n/** HTTP handlers for ${
        commentText(entityName)
      }. */\nexport const ${variable} = new Hono();\n\n${code}\n`,
    });
    routers.push([variable, file]);
  }
  return { files, routers };
}

const HTTP_TS = `import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";

/**
 * The calling user's id. A stand-in so the API can be tried with curl: replace it with
 * real sessions (passkeys or magic links) before going live.
 */
export function currentUserId(c: Context): string {
  const id = c.req.header("x-user-id");
  if (!id) throw new HTTPException(401, { message: "Sign in first (X-User-Id header)." });
  return id;
}

function invalid(issues: z.core.$ZodIssue[]): never {
  throw new HTTPException(422, { res: Response.json({ issues }, { status: 422 }) });
}

/** The JSON body parsed with \`schema\`; 422 with the issues when it does not fit. */
export async function parseBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const result = schema.safeParse(await c.req.json().catch(() => undefined));
  return result.success ? result.data : invalid(result.error.issues);
}

/** The query string parsed with \`schema\`; 422 with the issues when it does not fit. */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const result = schema.safeParse(c.req.query());
  return result.success ? result.data : invalid(result.error.issues);
}

/** The row, or a 404. */
export function found<T>(row: T | undefined): T {
  if (row === undefined) throw new HTTPException(404, { message: "Not found" });
  return row;
}
`;

const DB_TS = `import postgres from "postgres";

const url = Deno.env.get("DATABASE_URL");
if (!url) throw new Error("DATABASE_URL is not set: copy .env.example to .env and fill it in.");

/** The connection pool; columns map between snake_case in SQL and camelCase in code. */
export const sql = postgres(url, { transform: postgres.camel });
`;

const MIGRATE_TS = `import { sql } from "./db.ts";

// The schema is idempotent only on an empty database: run it once per environment.
const schema = await Deno.readTextFile(new URL("../db/schema.sql", import.meta.url));
await sql.unsafe(schema);
console.log("Schema applied.");
await sql.end();
`;

function mainTs(routers: [string, string][], design: DesignSpec): string {
  const pages = design.screens.map((screen) =>
    `  [${JSON.stringify(screen.route)}, ${JSON.stringify(`${kebab(screen.id) || "page"}.html`)}],`
  );
  return [
    'import { Hono } from "hono";',
    'import { serveStatic } from "hono/deno";',
    ...routers.map(([variable, file]) => `import { ${variable} } from "./routes/${file}.ts";`),
    "",
    "const app = new Hono();",
    "",
    ...routers.map(([variable]) => `app.route("/", ${variable});`),
    "",
    'app.use("/styles/*", serveStatic({ root: "./web" }));',
    "",
    "/** Every screen of the design, served as a static page. */",
    "const pages: [route: string, file: string][] = [",
    ...pages,
    "];",
    "for (const [route, file] of pages) {",
    "  app.get(route, serveStatic({ path: `./web/pages/${file}` }));",
    "}",
    "",
    'Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, app.fetch);',
    "",
  ].join("\n");
}

function cssValue(value: string): string {
  return value.replace(/[^A-Za-z0-9 .,()/#%-]/g, "");
}

function fontFamily(font: BrandSpec["typography"]["body"]): string {
  const family = font.family.replace(/[^A-Za-z0-9 -]/g, "");
  const fallback = font.fallback.replace(/[^A-Za-z0-9 ,'-]/g, "");
  return `"${family}", ${fallback}`;
}

function tokensCss(brand: BrandSpec, design: DesignSpec): string {
  const { typography, palette } = brand;
  const fonts = [typography.heading, typography.body, typography.mono];
  const imports = fonts.flatMap((font) =>
    font.weights.slice(0, 3).map((weight) =>
      `@import url("https://cdn.jsdelivr.net/npm/${font.fontsourcePackage}@5/${weight}.css");`
    )
  );
  const token = (name: string) => name.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const lines = [
    ...["primary", "secondary", "accent", "success", "warning", "danger"].map((role) =>
      `  --palette-${role}: ${palette[role as "primary"]};`
    ),
    ...palette.neutral.map((hex, index) =>
      `  --palette-neutral-${[50, 100, 200, 300, 400, 500, 600, 700, 800, 900][index]}: ${hex};`
    ),
    "  --palette-white: #ffffff;",
    "",
    ...design.tokens.colors.map((color) =>
      `  --${token(color.token)}: ${roleHex(palette, color.role)};`
    ),
    "",
    `  --font-heading: ${fontFamily(typography.heading)};`,
    `  --font-body: ${fontFamily(typography.body)};`,
    `  --font-mono: ${fontFamily(typography.mono)};`,
    ...typography.scale.flatMap((step) => [
      `  --text-${token(step.token)}: ${step.sizePx}px;`,
      `  --leading-${token(step.token)}: ${step.lineHeight};`,
    ]),
    "",
    ...design.tokens.spacing.map((space) => `  --${token(space.token)}: ${space.px}px;`),
    ...design.tokens.radius.map((radius) => `  --${token(radius.token)}: ${radius.px}px;`),
    ...design.tokens.elevation.map((level) =>
      `  --${token(level.token)}: ${cssValue(level.shadow) || "none"};`
    ),
    ...design.tokens.motion.map((motion) =>
      `  --${token(motion.token)}: ${motion.durationMs}ms ${cssValue(motion.easing) || "ease"};`
    ),
  ];
  return `/* ${
    commentText(brand.chosenName)
  } design tokens, generated from the brand and design stages. */\n${
    [...new Set(imports)].join("\n")
  }\n\n:root {\n${lines.join("\n")}\n}\n`;
}

/** Uses a design colour token when the design defines it, else the palette role directly. */
function colorVar(design: DesignSpec, tokenName: string, fallback: string): string {
  return design.tokens.colors.some((color) => color.token === tokenName)
    ? `var(--${tokenName})`
    : `var(--palette-${fallback})`;
}

function baseCss(design: DesignSpec): string {
  const bg = colorVar(design, "color-bg", "neutral-50");
  const text = colorVar(design, "color-text", "neutral-900");
  const muted = colorVar(design, "color-text-muted", "neutral-600");
  const surface = colorVar(design, "color-surface", "white");
  const border = colorVar(design, "color-border", "neutral-200");
  const primary = colorVar(design, "color-primary", "primary");
  const onPrimary = colorVar(design, "color-on-primary", "white");
  const space = (index: number) =>
    design.tokens.spacing[Math.min(index, design.tokens.spacing.length - 1)].token;
  const radius = design.tokens.radius[Math.min(1, design.tokens.radius.length - 1)].token;
  const elevation = design.tokens.elevation[Math.min(1, design.tokens.elevation.length - 1)].token;
  const motion = design.tokens.motion[0].token;
  return `/* Base styles: every value comes from tokens.css. */
*, *::before, *::after { box-sizing: border-box; }

body {
  margin: 0;
  background: ${bg};
  color: ${text};
  font: var(--text-base) / var(--leading-base) var(--font-body);
}

h1, h2, h3 { font-family: var(--font-heading); line-height: var(--leading-2xl); margin: 0; }
h1 { font-size: var(--text-3xl); }
h2 { font-size: var(--text-xl); }

a { color: ${primary}; }
a:focus-visible, .button:focus-visible { outline: 3px solid ${primary}; outline-offset: 2px; }

.app-bar {
  display: flex;
  align-items: center;
  gap: var(--${space(5)});
  padding: var(--${space(3)}) var(--${space(5)});
  background: ${surface};
  border-bottom: 1px solid ${border};
}
.app-bar .brand { font-family: var(--font-heading); font-size: var(--text-lg); font-weight: 700; color: ${text}; text-decoration: none; }
.app-bar ul { display: flex; gap: var(--${
    space(4)
  }); list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
.app-bar a[aria-current="page"] { font-weight: 700; }

.screen { max-width: 72rem; margin: 0 auto; padding: var(--${space(6)}) var(--${
    space(5)
  }); display: grid; gap: var(--${space(5)}); }
.screen-header { display: grid; gap: var(--${space(3)}); justify-items: start; }
.lede, .muted { color: ${muted}; }

.card {
  background: ${surface};
  border: 1px solid ${border};
  border-radius: var(--${radius});
  box-shadow: var(--${elevation});
  padding: var(--${space(5)});
  display: grid;
  gap: var(--${space(2)});
}

.button {
  display: inline-block;
  padding: var(--${space(2)}) var(--${space(4)});
  border-radius: var(--${radius});
  font-weight: 600;
  text-decoration: none;
  transition: transform var(--${motion});
}
.button-primary { background: ${primary}; color: ${onPrimary}; }
.button:active { transform: translateY(1px); }

@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
}

function pageHtml(screen: DesignSpec["screens"][number], options: {
  design: DesignSpec;
  brand: BrandSpec;
}): string {
  const { design, brand } = options;
  const href = (route: string) => route.includes(":") ? "#" : route;
  const nav = design.navigation.items.map((item) => {
    const target = design.screens.find((candidate) => candidate.id === item.screenId);
    const current = item.screenId === screen.id ? ' aria-current="page"' : "";
    return `          <li><a href="${escapeHtml(href(target?.route ?? "/"))}"${current}>${
      escapeHtml(item.label)
    }</a></li>`;
  });
  const sections = screen.sections.map((section, index) =>
    [
      `      <section class="card" aria-labelledby="section-${index + 1}">`,
      `        <h2 id="section-${index + 1}">${escapeHtml(section)}</h2>`,
      `        <p class="muted">Nothing here yet.</p>`,
      "      </section>",
    ].join("\n")
  );
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(screen.name)} · ${escapeHtml(brand.chosenName)}</title>
    <meta name="description" content="${escapeHtml(screen.purpose)}">
    <link rel="stylesheet" href="/styles/tokens.css">
    <link rel="stylesheet" href="/styles/base.css">
  </head>
  <body>
    <header class="app-bar">
      <a class="brand" href="/">${escapeHtml(brand.chosenName)}</a>
      <nav aria-label="Main">
        <ul>
${nav.join("\n")}
        </ul>
      </nav>
    </header>
    <main class="screen">
      <header class="screen-header">
        <h1>${escapeHtml(screen.name)}</h1>
        <p class="lede">${escapeHtml(screen.purpose)}</p>
        <a class="button button-primary" href="#">${escapeHtml(screen.primaryAction)}</a>
      </header>
${sections.join("\n")}
    </main>
  </body>
</html>
`;
}

function readme(
  inputs: { architecture: ArchitectureSpec; design: DesignSpec; brand: BrandSpec },
  files: readonly CodeFile[],
): string {
  const { architecture, design, brand } = inputs;
  const entities = architecture.dataModel.entities;
  const endpoints = architecture.endpoints.map((endpoint) =>
    `| \`${endpoint.method}\` | \`${markdownCell(endpoint.path)}\` | ${
      markdownCell(endpoint.purpose)
    } |`
  );
  const screens = design.screens.map((screen) =>
    `| ${markdownCell(screen.name)} | \`${markdownCell(screen.route)}\` | \`web/pages/${
      kebab(screen.id) || "page"
    }.html\` |`
  );
  const routeFiles = files.filter((file) => file.path.startsWith("src/routes/")).length;
  return `# ${markdownCell(brand.chosenName)}

${markdownCell(brand.tagline)}

${markdownCell(brand.mission)}

This is the starter for ${markdownCell(brand.chosenName)}: a Deno app with a JSON API over
PostgreSQL (Hono, postgres.js, zod) and one page per screen, styled with the brand tokens.
It was generated from the blueprint's architecture, design and brand.

## Run it

You need [Deno 2](https://deno.com) and PostgreSQL 14 or newer.

\`\`\`sh
cp .env.example .env      # then set DATABASE_URL
deno task db:migrate      # creates the ${entities.length} tables in db/schema.sql
deno task dev             # serves http://localhost:8000
\`\`\`

Try the API (any UUID works as a user id until real sign-in is added):

\`\`\`sh
curl -H "X-User-Id: 00000000-0000-4000-8000-000000000001" http://localhost:8000/api/me
\`\`\`

## What is inside

| path | what |
|---|---|
| \`db/schema.sql\` | ${entities.length} tables with foreign keys and indexes |
| \`src/schemas.ts\` | zod schemas validating every request body and query |
| \`src/routes/\` | ${routeFiles} route modules, one per entity |
| \`src/http.ts\` | validation, 404 and the stand-in \`currentUserId\` |
| \`src/main.ts\` | the Hono app: API routes, styles and pages |
| \`web/styles/tokens.css\` | palette, type, spacing, radius, elevation and motion as CSS variables |
| \`web/pages/\` | ${design.screens.length} static pages, one per screen |

## API

| method | path | purpose |
|---|---|---|
${endpoints.join("\n")}

## Screens

| screen | route | file |
|---|---|---|
${screens.join("\n")}

## Before going live

- Replace \`currentUserId\` in \`src/http.ts\` with real sessions; until then any caller can
  claim any user id.
- Add authorisation checks per route: who may read and change which rows.
- Actions that answer \`501\` are placeholders for your business rules.
`;
}

/** Builds the starter code from the architecture, design and brand. */
export function buildCode(
  inputs: { architecture: ArchitectureSpec; design: DesignSpec; brand: BrandSpec },
): CodeSpec {
  const { architecture, design, brand } = inputs;
  const { files: routes, routers } = routeFiles(architecture);
  const pages = design.screens.map((screen): CodeFile => ({
    path: `web/pages/${kebab(screen.id) || "page"}.html`,
    language: "html",
    content: pageHtml(screen, { design, brand }),
  }));
  const files: CodeFile[] = [
    {
      path: "deno.json",
      language: "json",
      content: `${
        JSON.stringify(
          {
            tasks: {
              dev:
                "deno run --watch --allow-net --allow-env --allow-read --env-file=.env src/main.ts",
              start: "deno run --allow-net --allow-env --allow-read --env-file=.env src/main.ts",
              "db:migrate":
                "deno run --allow-net --allow-env --allow-read --env-file=.env src/migrate.ts",
            },
            imports: { hono: "npm:hono@4", postgres: "npm:postgres@3", zod: "npm:zod@4" },
          },
          null,
          2,
        )
      }\n`,
    },
    {
      path: ".env.example",
      language: "shell",
      content: "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app\nPORT=8000\n",
    },
    { path: "db/schema.sql", language: "sql", content: schemaSql(architecture, brand.chosenName) },
    { path: "src/db.ts", language: "typescript", content: DB_TS },
    { path: "src/migrate.ts", language: "typescript", content: MIGRATE_TS },
    { path: "src/http.ts", language: "typescript", content: HTTP_TS },
    { path: "src/schemas.ts", language: "typescript", content: schemasTs(architecture) },
    ...routes,
    { path: "src/main.ts", language: "typescript", content: mainTs(routers, design) },
    { path: "web/styles/tokens.css", language: "css", content: tokensCss(brand, design) },
    { path: "web/styles/base.css", language: "css", content: baseCss(design) },
    ...pages,
  ];
  const readmeFile: CodeFile = {
    path: "README.md",
    language: "markdown",
    content: readme(inputs, files),
  };
  return {
    files: [readmeFile, ...files],
    entrypoint: "src/main.ts",
    instructions: [
      "Copy .env.example to .env and set DATABASE_URL.",
      "Run `deno task db:migrate` to create the tables.",
      "Run `deno task dev` and open http://localhost:8000.",
    ],
  };
}
