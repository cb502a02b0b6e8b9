/**
 * The check a code stage passes before it is stored (issue 16.5). Type-checking or running
 * a project is far too heavy for the generation path, so this is the cheap, in-process part
 * of what tests/integration/code_stubs_test.ts proves for offline code: the project can
 * install and start without JSR or URL imports, carries its own test task, and its SQL and
 * routes agree with the architecture. A stage that fails is replaced by the offline
 * generator's code for the same architecture, and its first instruction says so.
 */
import { buildCode } from "../llm/offline/code.ts";
import { cleanPath } from "../llm/offline/code/model.ts";
import { OFFLINE_PROVIDER } from "../llm/offline/mod.ts";
import {
  type ArchitectureSpec,
  type BrandSpec,
  type CodeSpec,
  type DesignSpec,
  stageSchemas,
} from "../blueprint/schemas.ts";

export interface CodeCheck {
  ok: boolean;
  problems: string[];
}

const SOURCE = /\.(ts|tsx|js|jsx|mjs|mts)$/;

function resolveRelative(from: string, specifier: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const segment of specifier.split("/")) {
    if (segment === "..") parts.pop();
    else if (segment !== ".") parts.push(segment);
  }
  return parts.join("/");
}

/** Import specifiers of a source file: static, dynamic, re-exports and side-effect imports. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

function tableKey(name: string): string {
  return name.replace(/"/g, "").split(".").at(-1)!.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function entityKeys(name: string): string[] {
  const base = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return [base, `${base}s`, `${base}es`, base.replace(/y$/, "ies")];
}

/** The path with every parameter (`:x` or `{x}`) written `:`. */
function shape(path: string): string {
  return (cleanPath(path) ?? path).replace(/:[A-Za-z0-9_]+/g, ":");
}

/** Structural checks of a code stage against the architecture it implements. */
export function checkCode(code: CodeSpec, architecture: ArchitectureSpec): CodeCheck {
  const problems: string[] = [];
  const files = new Map(code.files.map((file) => [file.path, file.content]));
  if (!files.has("README.md")) problems.push("no README.md");
  if (!files.has(code.entrypoint) || !SOURCE.test(code.entrypoint)) {
    problems.push(`the entrypoint ${code.entrypoint} is not a source file of the project`);
  }

  let imports: Record<string, unknown> = {};
  const denoJson = files.get("deno.json");
  if (denoJson === undefined) problems.push("no deno.json");
  else {
    try {
      const config = JSON.parse(denoJson) as { tasks?: Record<string, unknown>; imports?: unknown };
      imports = typeof config.imports === "object" && config.imports !== null
        ? config.imports as Record<string, unknown>
        : {};
      if (typeof config.tasks?.test !== "string") problems.push("deno.json has no test task");
      for (const [name, target] of Object.entries(imports)) {
        if (typeof target !== "string" || !/^(npm:|node:|\.\.?\/)/.test(target)) {
          problems.push(`deno.json maps ${name} to ${String(target)}: only npm:, node: or files`);
        }
      }
    } catch {
      problems.push("deno.json is not valid JSON");
    }
  }
  const tests = [...files.keys()].filter((path) =>
    SOURCE.test(path) && (/(^|\/)tests?\//.test(path) || /[._]test\.[a-z]+$/.test(path))
  );
  if (tests.length === 0) problems.push("no test files");

  const literals = new Set<string>();
  for (const [path, content] of files) {
    if (!SOURCE.test(path)) continue;
    for (const specifier of specifiers(content)) {
      if (/^(npm:|node:)/.test(specifier)) continue;
      if (specifier.startsWith("./") || specifier.startsWith("../")) {
        const target = resolveRelative(path, specifier);
        if (!files.has(target)) problems.push(`${path} imports ${specifier}, which is not a file`);
        continue;
      }
      const mapped = Object.keys(imports).some((name) =>
        specifier === name || (name.endsWith("/") && specifier.startsWith(name)) ||
        specifier.startsWith(`${name}/`)
      );
      if (!mapped) problems.push(`${path} imports ${specifier}: not npm:, node:, mapped or local`);
    }
    for (const match of content.matchAll(/["'`](\/[A-Za-z0-9_:{}./-]*)["'`]/g)) {
      literals.add(shape(match[1]));
    }
  }

  const sql = [...files].filter(([path]) => path.endsWith(".sql")).map(([, content]) => content)
    .join("\n");
  const tables = new Set(
    [...sql.matchAll(/create\s+table\s+(?:if\s+not\s+exists\s+)?((?:"[^"]+"|[\w.]+))/gi)].map((
      match,
    ) => tableKey(match[1])),
  );
  if (tables.size === 0) problems.push("no CREATE TABLE in any .sql file");
  for (const entity of architecture.dataModel.entities) {
    if (!entityKeys(entity.name).some((key) => tables.has(key))) {
      problems.push(`no table for entity ${entity.name}`);
    }
  }
  for (const match of sql.matchAll(/references\s+((?:"[^"]+"|[\w.]+))/gi)) {
    if (!tables.has(tableKey(match[1]))) problems.push(`SQL references missing table ${match[1]}`);
  }
  for (const endpoint of architecture.endpoints) {
    if (!literals.has(shape(endpoint.path))) {
      problems.push(`no route for ${endpoint.method} ${endpoint.path}`);
    }
  }
  return { ok: problems.length === 0, problems: [...new Set(problems)] };
}

const MAX_TEXT = 600;

/**
 * The code stage to store: the given one when it passes the check, else the offline
 * generator's code for the same architecture. For other providers than the offline engine,
 * the first instruction tells the reader which happened.
 */
export function checkedCodeStage(
  code: CodeSpec,
  inputs: { architecture: ArchitectureSpec; design: DesignSpec; brand: BrandSpec },
  options: { provider: string; offline: boolean },
): { code: CodeSpec; check: CodeCheck; regenerated: boolean } {
  const check = checkCode(code, inputs.architecture);
  if (check.ok) {
    if (options.offline) return { code, check, regenerated: false };
    const note =
      `Checked before storing: imports are npm: or local only, deno.json has a test task, and the SQL tables and routes match the architecture (${options.provider}).`;
    return {
      code: { ...code, instructions: [note, ...code.instructions].slice(0, 10) },
      check,
      regenerated: false,
    };
  }
  const offline = buildCode(inputs);
  const reasons = check.problems.slice(0, 3).join("; ");
  const note =
    `Regenerated by the offline generator from the architecture: the code written by ${options.provider} failed its check (${check.problems.length} problem${
      check.problems.length === 1 ? "" : "s"
    }: ${reasons}).`.slice(0, MAX_TEXT);
  return {
    code: { ...offline, instructions: [note, ...offline.instructions].slice(0, 10) },
    check,
    regenerated: true,
  };
}

/**
 * The pipeline's hook: the code stage as it will be stored, given the upstream outputs the
 * stage ran with. Unchanged when an upstream output is missing (nothing to check against).
 */
export function storedCodeStage(
  code: CodeSpec,
  inputs: Partial<Record<string, unknown>>,
  provider: string,
): CodeSpec {
  const architecture = stageSchemas.architecture.safeParse(inputs.architecture);
  const design = stageSchemas.design.safeParse(inputs.design);
  const brand = stageSchemas.brand.safeParse(inputs.brand);
  if (!architecture.success || !design.success || !brand.success) return code;
  return checkedCodeStage(
    code,
    { architecture: architecture.data, design: design.data, brand: brand.data },
    { provider, offline: provider === OFFLINE_PROVIDER },
  ).code;
}
