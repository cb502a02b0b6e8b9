/**
 * The code stage of the offline engine: a runnable Deno starter (pg, zod, no framework)
 * generated from the architecture, with one page per screen that renders the API's data,
 * styled by the brand tokens. The fixed runtime lives in ./code/template/ (copied verbatim,
 * see scripts/code-template.ts); only the model, the migration, the pages, the styles and
 * the README are written per blueprint. Inputs may come from any provider, so every string
 * is escaped for the file it lands in and every identifier is rebuilt from a safe alphabet.
 */
import { escapeHtml } from "../../blueprint/escape.ts";
import type {
  ArchitectureSpec,
  BrandSpec,
  CodeFile,
  CodeSpec,
  DesignSpec,
} from "../../blueprint/schemas.ts";
import { roleHex } from "../../blueprint/colour.ts";
import {
  buildModel,
  migrationStatements,
  type Model,
  type Screen,
  sqlComment,
  type Unserved,
} from "./code/model.ts";
import { TEMPLATE_FILES } from "./code/template_files.ts";

/** Versions already in the Atlas9 lockfile, so a project runs without new downloads. */
export const STARTER_IMPORTS = {
  pg: "npm:pg@8.23.1",
  zod: "npm:zod@4.6.7",
} as const;

/** Largest file the code schema accepts (with headroom). */
const MAX_FILE = 55_000;

/** Text safe inside a one-line comment of any of the generated languages. */
function commentText(value: string): string {
  return value.replace(/\*\//g, "* /").replace(/[<>]/g, "").replace(/[\r\n\u2028\u2029]+/g, " ");
}

function markdownCell(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\|/g, "\\|").replace(/</g, "&lt;")
    .replace(/`/g, "'").slice(0, 300);
}

/** Splits items into chunks whose joined size stays under the file limit. */
function chunks(items: string[], separator: string): string[] {
  const out: string[] = [];
  let current = "";
  for (const item of items) {
    if (current && current.length + item.length + separator.length > MAX_FILE - 2_000) {
      out.push(current);
      current = "";
    }
    current = current ? `${current}${separator}${item}` : item;
  }
  if (current) out.push(current);
  return out;
}

/** src/model.ts, plus src/model/entities_N.ts when the data model is too large for one file. */
function modelFiles(model: Model): CodeFile[] {
  const header = "// Generated from the blueprint's architecture and design.\n";
  const { entities, ...rest } = model;
  const json = JSON.stringify(rest);
  const lines = entities.map((entity) => JSON.stringify(entity));
  const whole = `${header}import type { Model } from "./types.ts";\n\nexport const model: Model = ${
    JSON.stringify({ ...rest, entities: "__ENTITIES__" })
  };\n`.replace('"__ENTITIES__"', `[\n${lines.join(",\n")}\n]`);
  if (whole.length <= MAX_FILE) {
    return [{ path: "src/model.ts", language: "typescript", content: whole }];
  }
  const parts = chunks(lines, ",\n");
  const files = parts.map((part, index): CodeFile => ({
    path: `src/model/entities_${index + 1}.ts`,
    language: "typescript",
    content:
      `${header}import type { Entity } from "../types.ts";\n\nexport const entities: Entity[] = [\n${part}\n];\n`,
  }));
  const imports = parts.map((_, i) =>
    `import { entities as entities${i + 1} } from "./model/entities_${i + 1}.ts";`
  );
  const spread = parts.map((_, i) => `...entities${i + 1}`).join(", ");
  return [
    {
      path: "src/model.ts",
      language: "typescript",
      content: `${header}import type { Model } from "./types.ts";\n${
        imports.join("\n")
      }\n\nexport const model: Model = { ...${json}, entities: [${spread}] };\n`,
    },
    ...files,
  ];
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
  } design tokens, generated from the brand and design stages. Fonts are the brand's families
when installed locally, else the system fallbacks: nothing loads from a CDN. */\n\n:root {\n${
    lines.join("\n")
  }\n}\n`;
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

.items { display: grid; gap: var(--${
    space(4)
  }); grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.items dl { display: grid; grid-template-columns: auto 1fr; gap: var(--${space(1)}) var(--${
    space(3)
  }); margin: 0; }
.items dt { color: ${muted}; }
.items dd { margin: 0; overflow-wrap: anywhere; }

@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
}

function pageHtml(screen: Screen, options: {
  design: DesignSpec;
  brand: BrandSpec;
  model: Model;
  source: DesignSpec["screens"][number] | undefined;
}): string {
  const { design, brand, model, source } = options;
  const entity = model.entities.find((e) => e.name === screen.entity)!;
  const detail = model.screens.find((s) => s.entity === screen.entity && s.mode === "detail");
  const nav = design.navigation.items.flatMap((item) => {
    const target = model.screens.find((candidate) => candidate.id === item.screenId);
    if (!target || target.route.includes(":")) return [];
    const current = item.screenId === screen.id ? ' aria-current="page"' : "";
    return [
      `          <li><a href="${escapeHtml(target.route)}"${current}>${
        escapeHtml(item.label)
      }</a></li>`,
    ];
  });
  const idIndex = screen.route.split("/").indexOf(":id");
  const data = [
    `data-api="${escapeHtml(entity.path)}"`,
    `data-mode="${screen.mode}"`,
    ...(screen.mode === "detail" ? [`data-id-index="${idIndex}"`] : []),
    ...(detail && screen.mode === "list" ? [`data-detail="${escapeHtml(detail.route)}"`] : []),
  ];
  const sections = (source?.sections ?? []).map((section) => `<li>${escapeHtml(section)}</li>`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(screen.name)} · ${escapeHtml(brand.chosenName)}</title>
    <meta name="description" content="${escapeHtml(source?.purpose ?? screen.name)}">
    <link rel="stylesheet" href="/styles/tokens.css">
    <link rel="stylesheet" href="/styles/base.css">
    <script type="module" src="/app.js"></script>
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
    <main class="screen" ${data.join(" ")}>
      <header class="screen-header">
        <h1>${escapeHtml(screen.name)}</h1>
        <p class="lede">${escapeHtml(source?.purpose ?? "")}</p>
        <a class="button button-primary" href="#items">${
    escapeHtml(source?.primaryAction ?? "View")
  }</a>
      </header>
      <p class="muted" data-status role="status">Loading…</p>
      <section id="items" class="items" data-items aria-label="${
    escapeHtml(entity.name)
  }"></section>
      <aside class="card">
        <h2>On this screen</h2>
        <ul class="muted">${sections.join("")}</ul>
      </aside>
    </main>
  </body>
</html>
`;
}

const KIND_LABELS: Record<Model["routes"][number]["kind"], string> = {
  list: "list (cursor, limit, filters)",
  children: "list of a parent's rows",
  get: "read one",
  me: "the caller's user row",
  create: "create",
  update: "partial update",
  replace: "full update",
  delete: "delete",
  action: "sets status / timestamp",
  record: "records the action in action_log",
  placeholder: "placeholder (501)",
};

function readme(
  inputs: { brand: BrandSpec; model: Model; unserved: Unserved[]; database: string },
): string {
  const { brand, model, unserved, database } = inputs;
  const routes = model.routes.map((route) =>
    `| \`${route.method}\` | \`${markdownCell(route.path)}\` | ${KIND_LABELS[route.kind]} | ${
      markdownCell(route.purpose)
    } |`
  );
  const screens = model.screens.map((screen) =>
    `| ${markdownCell(screen.name)} | \`${markdownCell(screen.route)}\` | ${
      markdownCell(screen.entity)
    } (${screen.mode}) | \`web/pages/${screen.file}\` |`
  );
  const user = model.userEntity
    ? `Any UUID works as a user id: the first request carrying it provisions a matching
\`${markdownCell(model.userEntity)}\` row (with placeholder values), so rows owned by that user
can be created right away.`
    : "Any UUID works as a user id (there is no user table).";
  return `# ${markdownCell(brand.chosenName)}

${markdownCell(brand.tagline)}

${markdownCell(brand.mission)}

This is the starter for ${markdownCell(brand.chosenName)}: a Deno app with a JSON API over
PostgreSQL (pg and zod, no framework) and one page per screen that renders the API's data,
styled with the brand tokens. It was generated from the blueprint's architecture, design and
brand.

## Run it

You need [Deno 2](https://deno.com) and PostgreSQL 13 or newer.

\`\`\`sh
cp .env.example .env   # DATABASE_URL: postgres://postgres:postgres@localhost:5432/${database}
deno task db:setup     # creates that database if it is missing, then applies db/migrations
deno task dev          # serves http://localhost:8000
deno task test         # migrates DATABASE_URL and runs the API smoke test against it
\`\`\`

\`db:setup\` needs a role allowed to create databases; otherwise create it yourself
(\`createdb ${database}\`) and run \`deno task db:migrate\`. Migrations are tracked in the
\`schema_migrations\` table: running them again applies only new files.

Try the API:

\`\`\`sh
curl -H "X-User-Id: 00000000-0000-4000-8000-000000000001" http://localhost:8000/api/me
\`\`\`

${user} Reads need no header; writes answer 401 without one.

## What is inside

| path | what |
|---|---|
| \`db/migrations/\` | ${model.entities.length} tables with foreign keys and indexes |
| \`src/model.ts\` | the data model and routes, read by the API, its schemas and the test |
| \`src/schemas.ts\` | zod schemas for every row, create and update body and list query |
| \`src/api.ts\` | the handlers: validation, SQL, dev-user provisioning |
| \`src/http.ts\` | problem responses (RFC 9457) and database error mapping |
| \`src/app.ts\` | routing for the API, the pages and their assets |
| \`tests/api_smoke.ts\` | create → list → get → update → delete for every entity, every route, one bad request each |
| \`web/pages/\` | ${model.screens.length} pages, one per screen |
| \`web/styles/tokens.css\` | palette, type, spacing, radius, elevation and motion as CSS variables |

Errors are \`application/problem+json\`: a malformed id, header or query is 400, a body that
does not fit its schema 422, a duplicate unique value or a missing related row 409.
Values round-trip: \`date\` is \`YYYY-MM-DD\`, \`numeric\` a number, \`timestamp\` ISO 8601.
Fonts use the brand families when installed locally and system fallbacks otherwise; to
self-host them, add the \`@fontsource\` packages named in the brand stage.

## API

| method | path | kind | purpose |
|---|---|---|---|
${routes.join("\n")}
${
    unserved.length
      ? `\nNot served (add them by hand):\n\n| method | path | why |\n|---|---|---|\n${
        unserved.map((u) =>
          `| \`${u.method}\` | \`${markdownCell(u.path)}\` | ${markdownCell(u.reason)} |`
        ).join("\n")
      }\n`
      : ""
  }
## Screens

| screen | route | shows | file |
|---|---|---|---|
${screens.join("\n")}

## Before going live

- Replace the \`X-User-Id\` stand-in (\`currentUser\` in \`src/api.ts\`) with real sessions;
  until then any caller can claim any user id.
- Add authorisation checks per route: who may read and change which rows.
- Routes marked placeholder answer \`501\` until you write their business rules.
`;
}

function databaseName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40) ||
    "app";
}

/** Builds the starter code from the architecture, design and brand. */
export function buildCode(
  inputs: { architecture: ArchitectureSpec; design: DesignSpec; brand: BrandSpec },
): CodeSpec {
  const { architecture, design, brand } = inputs;
  const { model, unserved, descriptions } = buildModel({
    architecture,
    design,
    name: brand.chosenName,
  });
  const database = databaseName(brand.chosenName);
  const statements = [
    `-- ${sqlComment(brand.chosenName)}: schema generated from the architecture's data model.`,
    ...migrationStatements(model, descriptions),
  ];
  const migrations = chunks(statements, "\n\n").map((sql, index): CodeFile => ({
    path: `db/migrations/${String(index + 1).padStart(3, "0")}_schema.sql`,
    language: "sql",
    content: `${sql}\n`,
  }));
  const sources = new Map(design.screens.map((screen) => [screen.id, screen]));
  const pages = model.screens.map((screen): CodeFile => ({
    path: `web/pages/${screen.file}`,
    language: "html",
    content: pageHtml(screen, { design, brand, model, source: sources.get(screen.id) }),
  }));
  const run = "deno run --allow-net --allow-env --allow-read --env-file=.env";
  const files: CodeFile[] = [
    {
      path: "README.md",
      language: "markdown",
      content: readme({ brand, model, unserved, database }),
    },
    {
      path: "deno.json",
      language: "json",
      content: `${
        JSON.stringify(
          {
            tasks: {
              dev: `${run} --watch src/main.ts`,
              start: `${run} src/main.ts`,
              "db:setup": `${run} src/setup.ts`,
              "db:migrate": `${run} src/migrate.ts`,
              test:
                "deno test --allow-net --allow-env --allow-read --env-file=.env tests/api_smoke.ts",
            },
            imports: STARTER_IMPORTS,
            // Pinned so type-checking pg needs no newer download than the Atlas9 lockfile.
            compilerOptions: { types: ["npm:@types/node@26.6.6"] },
          },
          null,
          2,
        )
      }\n`,
    },
    {
      path: ".env.example",
      language: "shell",
      content: `DATABASE_URL=postgres://postgres:postgres@localhost:5432/${database}\nPORT=8000\n`,
    },
    { path: ".gitignore", language: "text", content: ".env\n" },
    ...migrations,
    ...modelFiles(model),
    ...TEMPLATE_FILES.map((file) => ({ ...file })),
    { path: "web/styles/tokens.css", language: "css", content: tokensCss(brand, design) },
    { path: "web/styles/base.css", language: "css", content: baseCss(design) },
    ...pages,
  ];
  return {
    files,
    entrypoint: "src/main.ts",
    instructions: [
      "Copy .env.example to .env and check DATABASE_URL.",
      "Run `deno task db:setup` to create the database and apply the migrations.",
      "Run `deno task dev` and open http://localhost:8000.",
      "Run `deno task test` to exercise every route against the database.",
    ],
  };
}
