/**
 * The generated project's model (its src/model.ts) derived from any schema-valid
 * architecture and design: safe SQL and JSON names, entities in dependency order, the CRUD
 * routes of every entity plus every architecture endpoint that can be served, and one page
 * per screen bound to the entity it shows.
 */
import type {
  ArchitectureSpec,
  DesignSpec,
  Endpoint,
  EntityField,
} from "../../../blueprint/schemas.ts";
import { article, camel, kebab, pascal, pluralise, snake } from "../text.ts";
import type { Column, Entity, Model, Route, Screen } from "./template/src/types.ts";

export type { Column, Entity, Model, Route, Screen };

/** An architecture endpoint the project does not serve, and why. */
export interface Unserved {
  method: string;
  path: string;
  reason: string;
}

/** Action verbs and the status they set. Unknown verbs get a regular participle. */
const PARTICIPLES: Record<string, string> = {
  pay: "paid",
  send: "sent",
  cancel: "cancelled",
  ship: "shipped",
  submit: "submitted",
  refund: "refunded",
  rebook: "rebooked",
  plan: "planned",
  stop: "stopped",
  upvote: "upvoted",
  vote: "voted",
  mute: "muted",
  pin: "pinned",
};

function participle(verb: string): string {
  if (PARTICIPLES[verb]) return PARTICIPLES[verb];
  if (verb.endsWith("e")) return `${verb}d`;
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ied`;
  return `${verb}ed`;
}

/** The table where actions without a status to set are recorded. */
export const ACTION_LOG = "action_log";

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function identifier(value: string, fallback: string): string {
  const cleaned = snake(value).replace(/[^a-z0-9_]/g, "").replace(/^_+/, "").slice(0, 60);
  const name = cleaned || fallback;
  return /^[0-9]/.test(name) ? `t_${name}` : name;
}

function claim(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
  taken.add(candidate);
  return candidate;
}

function jsonKey(name: string, fallback: string): string {
  const key = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : camel(name) || fallback;
  return UNSAFE_KEYS.has(key) ? `${key}Value` : key;
}

function slugOf(name: string): string {
  return pluralise(kebab(name).replace(/-/g, " ")).replace(/ /g, "-").replace(/[^a-z0-9-]/g, "")
    .replace(/^-+|-+$/g, "").slice(0, 60) || "items";
}

/** A path as a URLPattern pathname: literal segments and :params only, or null. */
export function cleanPath(raw: string): string | null {
  const path = raw.split(/[?#]/)[0].replace(/\{([^}/]*)\}/g, ":$1").replace(/\/+$/, "");
  const segments = path.split("/").filter(Boolean);
  if (segments.length === 0) return "/";
  const clean: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith(":")) {
      const name = segment.slice(1).replace(/[^A-Za-z0-9_]/g, "");
      if (!/^[A-Za-z_]/.test(name)) return null;
      clean.push(`:${name}`);
    } else if (/^[A-Za-z0-9._~-]+$/.test(segment) && !/^\.+$/.test(segment)) {
      clean.push(segment);
    } else return null;
  }
  return `/${clean.join("/")}`;
}

/** The path with every parameter written `:`; two paths with the same shape collide. */
function shape(path: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, ":");
}

function renameLastParam(path: string): string {
  const segments = path.split("/");
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i].startsWith(":")) {
      segments[i] = ":id";
      return segments.map((s, j) => (j !== i && s === ":id" ? ":parentId" : s)).join("/");
    }
  }
  return path;
}

function entityResolver(names: string[]): (name: string | null) => string | null {
  const exact = new Set(names);
  const loose = new Map<string, string>();
  for (const name of names) {
    for (const form of [pascal(name).toLowerCase(), slugOf(name), snake(name)]) {
      if (!loose.has(form)) loose.set(form, name);
    }
  }
  return (name) => {
    if (name === null) return null;
    if (exact.has(name)) return name;
    return loose.get(pascal(name).toLowerCase()) ?? loose.get(slugOf(name)) ?? null;
  };
}

interface Draft {
  name: string;
  table: string;
  path: string;
  description: string;
  fields: (Column & { source: EntityField })[];
}

/** Entities with safe names and resolved references, before ordering. */
function drafts(architecture: ArchitectureSpec): { drafts: Draft[]; userEntity: string | null } {
  const entities = architecture.dataModel.entities;
  const seenNames = new Set<string>();
  const unique = entities.filter((entity) => {
    if (seenNames.has(entity.name)) return false;
    seenNames.add(entity.name);
    return true;
  });
  const resolve = entityResolver(unique.map((entity) => entity.name));
  const userEntity = unique.find((e) => /^(user|account|member)s?$/i.test(e.name))?.name ?? null;
  const tables = new Set<string>(["schema_migrations", ACTION_LOG]);
  const paths = new Set<string>(["me"]);
  const result = unique.map((entity): Draft => {
    const table = claim(identifier(slugOf(entity.name).replace(/-/g, "_"), "items"), tables);
    let slug = slugOf(entity.name);
    for (let n = 2; paths.has(slug); n++) slug = `${slugOf(entity.name)}-${n}`;
    paths.add(slug);
    const columns = new Set<string>(["id"]);
    const keys = new Set<string>(["id"]);
    const fields: Draft["fields"] = [];
    for (const field of entity.fields) {
      const base = identifier(field.name, "value");
      if (base === "id") continue;
      const column = claim(base, columns);
      let key = jsonKey(field.name, camel(column) || column);
      for (let n = 2; keys.has(key); n++) key = `${jsonKey(field.name, column)}${n}`;
      keys.add(key);
      const references = resolve(field.references);
      const type = references ? "uuid" : field.type;
      const defaulted = (type === "timestamp" && /^(created|updated)_at$/.test(column)) ||
        (type === "boolean" && field.required);
      fields.push({
        key,
        column,
        type,
        required: field.required,
        unique: field.unique,
        references,
        defaulted,
        source: field,
      });
    }
    return {
      name: entity.name,
      table,
      path: `/api/${slug}`,
      description: entity.description,
      fields,
    };
  });
  return { drafts: result, userEntity };
}

/**
 * Orders entities so every required reference points to an entity created earlier. A
 * required reference that closes a cycle (or points to its own entity, or leaves the user
 * entity) becomes nullable: otherwise no first row could ever be inserted.
 */
function ordered(list: Draft[], userEntity: string | null): Draft[] {
  const byName = new Map(list.map((draft) => [draft.name, draft]));
  const done: Draft[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (draft: Draft) => {
    if (state.get(draft.name)) return;
    state.set(draft.name, "visiting");
    for (const field of draft.fields) {
      if (!field.references) continue;
      const target = byName.get(field.references)!;
      if (target === draft || draft.name === userEntity || state.get(target.name) === "visiting") {
        field.required = false;
        field.unique = field.unique && target !== draft ? field.unique : false;
        continue;
      }
      if (field.required) visit(target);
    }
    state.set(draft.name, "done");
    done.push(draft);
  };
  const user = userEntity ? byName.get(userEntity) : undefined;
  if (user) visit(user);
  list.forEach(visit);
  return done;
}

const ID: Column = {
  key: "id",
  column: "id",
  type: "uuid",
  required: true,
  unique: true,
  references: null,
  defaulted: true,
};

function crudRoutes(entity: Entity): Route[] {
  const route = (method: Route["method"], path: string, kind: Route["kind"], purpose: string) => ({
    method,
    path,
    entity: entity.name,
    kind,
    parentColumn: null,
    assignments: [],
    purpose,
  });
  const item = `${entity.path}/:id`;
  const a = article(entity.name);
  return [
    route("GET", entity.path, "list", `List ${entity.name} rows (cursor pagination).`),
    route("POST", entity.path, "create", `Create ${a} ${entity.name}.`),
    route("GET", item, "get", `One ${entity.name} by id.`),
    route("PATCH", item, "update", `Change ${a} ${entity.name}.`),
    route("DELETE", item, "delete", `Delete ${a} ${entity.name}.`),
  ];
}

/** How an architecture endpoint is served, or why it is not. */
function classify(
  endpoint: Endpoint,
  context: {
    entity: Entity;
    entities: Entity[];
    userEntity: string | null;
  },
): Route | Unserved {
  const unserved = (reason: string): Unserved => ({
    method: endpoint.method,
    path: endpoint.path,
    reason,
  });
  const cleaned = cleanPath(endpoint.path);
  if (!cleaned || cleaned === "/") return unserved("the path is not a plain resource path");
  if (/^\/(app\.js|styles)(\/|$)/.test(cleaned)) return unserved("the path is taken by assets");
  const { entity } = context;
  const segments = cleaned.split("/").filter(Boolean);
  const last = segments.at(-1)!;
  const hasParam = segments.some((segment) => segment.startsWith(":"));
  const base = {
    method: endpoint.method,
    entity: entity.name,
    parentColumn: null,
    assignments: [] as Route["assignments"],
    purpose: endpoint.purpose,
  };
  if (last === "me" && !hasParam) {
    const writable = endpoint.method === "PATCH" && context.userEntity !== null;
    if (endpoint.method !== "GET" && !writable) {
      return { ...base, path: cleaned, kind: "placeholder" };
    }
    const user = context.entities.find((e) => e.name === context.userEntity) ?? entity;
    return { ...base, entity: user.name, path: cleaned, kind: "me" };
  }
  if (!hasParam) {
    if (endpoint.method === "GET") return { ...base, path: cleaned, kind: "list" };
    if (endpoint.method === "POST") return { ...base, path: cleaned, kind: "create" };
    return { ...base, path: cleaned, kind: "placeholder" };
  }
  const path = renameLastParam(cleaned);
  if (last.startsWith(":")) {
    const kinds: Record<Endpoint["method"], Route["kind"]> = {
      GET: "get",
      PATCH: "update",
      PUT: "replace",
      DELETE: "delete",
      POST: "placeholder",
    };
    return { ...base, path, kind: kinds[endpoint.method] };
  }
  const index = segments.lastIndexOf(segments.filter((s) => s.startsWith(":")).at(-1)!);
  if (endpoint.method === "GET") {
    const child = context.entities.find((e) => e.path.endsWith(`/${last}`)) ??
      (slugOf(entity.name) === last ? entity : undefined);
    const parentSlug = segments[index - 1];
    const parent = context.entities.find((e) => e.path.endsWith(`/${parentSlug}`));
    const column = child && parent
      ? child.columns.find((c) => c.references === parent.name)
      : undefined;
    if (child && column) {
      return { ...base, entity: child.name, path, kind: "children", parentColumn: column.column };
    }
    if (index === segments.length - 2) return { ...base, path, kind: "get" };
    return unserved("a nested read the starter cannot infer");
  }
  if (index !== segments.length - 2) return unserved("a nested action the starter cannot infer");
  const verb = last.toLowerCase().replace(/[^a-z]/g, "");
  const done = participle(verb);
  const assignments: Route["assignments"] = [];
  const status = entity.columns.find((c) => c.column === "status" && c.type === "text");
  if (status && verb) assignments.push({ column: status.column, value: done });
  const stamp = entity.columns.find((c) =>
    c.column === `${snake(done)}_at` && c.type === "timestamp"
  );
  if (stamp) assignments.push({ column: stamp.column, value: "now()" });
  if (assignments.length === 0) {
    const touched = entity.columns.find((c) => c.column === "updated_at" && c.type === "timestamp");
    if (touched) assignments.push({ column: touched.column, value: "now()" });
  }
  if (assignments.length === 0) return { ...base, path, kind: verb ? "record" : "placeholder" };
  return { ...base, path, kind: "action", assignments };
}

function screenEntity(
  screen: DesignSpec["screens"][number],
  architecture: ArchitectureSpec,
  entities: Entity[],
  userEntity: string | null,
): Entity {
  const resolve = entityResolver(entities.map((e) => e.name));
  const scores = new Map<string, number>();
  for (const endpoint of architecture.endpoints) {
    const name = resolve(endpoint.entity);
    if (!name) continue;
    const shared = endpoint.features.filter((f) => screen.features.includes(f)).length;
    scores.set(name, (scores.get(name) ?? 0) + shared);
  }
  const words = `${screen.id} ${screen.name} ${screen.route}`.toLowerCase();
  for (const entity of entities) {
    const slug = entity.path.split("/").at(-1)!;
    const singular = kebab(entity.name);
    if (words.includes(slug) || words.includes(singular)) {
      scores.set(entity.name, (scores.get(entity.name) ?? 0) + 0.5);
    }
  }
  const best = [...scores].filter(([, score]) => score > 0).sort((a, b) => b[1] - a[1])[0];
  return entities.find((e) => e.name === best?.[0]) ??
    entities.find((e) => e.name !== userEntity) ?? entities[0];
}

/** The project model; `unserved` lists the architecture endpoints left out and why. */
export function buildModel(
  inputs: { architecture: ArchitectureSpec; design: DesignSpec; name: string },
): { model: Model; unserved: Unserved[]; descriptions: Map<string, string> } {
  const { architecture, design } = inputs;
  const { drafts: list, userEntity } = drafts(architecture);
  const entities: Entity[] = ordered(list, userEntity).map((draft) => ({
    name: draft.name,
    table: draft.table,
    path: draft.path,
    columns: [ID, ...draft.fields.map(({ source: _source, ...column }) => column)],
  }));
  const descriptions = new Map(list.map((draft) => [draft.name, draft.description]));
  const routes: Route[] = entities.flatMap(crudRoutes);
  const shapes = new Set(routes.map((route) => `${route.method} ${shape(route.path)}`));
  const unserved: Unserved[] = [];
  const resolve = entityResolver(entities.map((e) => e.name));
  for (const endpoint of architecture.endpoints) {
    const name = resolve(endpoint.entity);
    const entity = entities.find((e) => e.name === name);
    if (!entity) {
      unserved.push({
        method: endpoint.method,
        path: endpoint.path,
        reason: "its entity is not in the data model",
      });
      continue;
    }
    const result = classify(endpoint, { entity, entities, userEntity });
    if (!("kind" in result)) {
      unserved.push(result);
      continue;
    }
    const key = `${result.method} ${shape(result.path)}`;
    if (shapes.has(key)) continue;
    shapes.add(key);
    routes.push(result);
  }

  const pageShapes = new Set<string>();
  const files = new Set<string>();
  const screens: Screen[] = design.screens.map((screen) => {
    const entity = screenEntity(screen, architecture, entities, userEntity);
    let route = cleanPath(screen.route);
    if (route) route = renameLastParam(route);
    if (
      !route || /^\/(api|styles|app\.js)(\/|$)/.test(route) || pageShapes.has(shape(route))
    ) {
      route = `/screens/${kebab(screen.id) || "page"}`;
    }
    for (let n = 2; pageShapes.has(shape(route)); n++) route = `/screens/${kebab(screen.id)}-${n}`;
    pageShapes.add(shape(route));
    const file = claim(kebab(screen.id) || "page", files);
    return {
      id: screen.id,
      name: screen.name,
      route,
      file: `${file}.html`,
      entity: entity.name,
      mode: route.includes(":") ? "detail" : "list",
    };
  });
  return {
    model: { name: inputs.name, actionLog: ACTION_LOG, userEntity, entities, routes, screens },
    unserved,
    descriptions,
  };
}

const SQL_TYPES: Record<Column["type"], string> = {
  uuid: "uuid",
  text: "text",
  integer: "integer",
  numeric: "numeric",
  boolean: "boolean",
  timestamp: "timestamptz",
  date: "date",
  jsonb: "jsonb",
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Text safe in a one-line SQL comment. */
export function sqlComment(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\*\//g, "* /");
}

/** The migration statements, one per table (then foreign keys to later tables, then indexes). */
export function migrationStatements(model: Model, descriptions: Map<string, string>): string[] {
  const byName = new Map(model.entities.map((entity) => [entity.name, entity]));
  const created = new Set<string>();
  const later: string[] = [];
  const indexes: string[] = [];
  const tables = model.entities.map((entity) => {
    const columns = entity.columns.map((column) => {
      if (column.column === "id") return `  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid()`;
      const parts = [quote(column.column), SQL_TYPES[column.type]];
      if (column.required) parts.push("NOT NULL");
      if (column.unique) parts.push("UNIQUE");
      if (column.defaulted) {
        parts.push(column.type === "boolean" ? "DEFAULT false" : "DEFAULT now()");
      }
      const target = column.references ? byName.get(column.references) : undefined;
      if (target) {
        const reference = `REFERENCES ${quote(target.table)} (id) ON DELETE ${
          column.required ? "CASCADE" : "SET NULL"
        }`;
        if (created.has(target.name) || target === entity) parts.push(reference);
        else {
          later.push(
            `ALTER TABLE ${quote(entity.table)} ADD FOREIGN KEY (${
              quote(column.column)
            }) ${reference};`,
          );
        }
        if (!column.unique) {
          indexes.push(
            `CREATE INDEX ${quote(`${entity.table}_${column.column}_idx`.slice(0, 63))} ON ${
              quote(entity.table)
            } (${quote(column.column)});`,
          );
        }
      }
      return `  ${parts.join(" ")}`;
    });
    created.add(entity.name);
    return `-- ${entity.name}: ${sqlComment(descriptions.get(entity.name) ?? "")}\nCREATE TABLE ${
      quote(entity.table)
    } (\n${columns.join(",\n")}\n);`;
  });
  const log = [
    "-- Actions that set no status (e.g. an RSVP) are recorded here until they get their own table.",
    `CREATE TABLE ${quote(model.actionLog)} (`,
    `  "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),`,
    `  "entity" text NOT NULL,`,
    `  "row_id" uuid NOT NULL,`,
    `  "action" text NOT NULL,`,
    `  "user_id" uuid NOT NULL,`,
    `  "created_at" timestamptz NOT NULL DEFAULT now()`,
    ");",
    `CREATE INDEX ${quote(`${model.actionLog}_row_idx`)} ON ${quote(model.actionLog)} ("row_id");`,
  ].join("\n");
  return [...tables, ...later, ...indexes, log];
}
