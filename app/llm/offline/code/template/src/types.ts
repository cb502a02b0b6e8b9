/** The shape of src/model.ts: the data model and routes this project serves. */

export type ColumnType =
  | "uuid"
  | "text"
  | "integer"
  | "numeric"
  | "boolean"
  | "timestamp"
  | "date"
  | "jsonb";

export interface Column {
  /** The JSON key in requests and responses. */
  key: string;
  /** The SQL column name. */
  column: string;
  type: ColumnType;
  /** NOT NULL in SQL: required on create, always present in responses. */
  required: boolean;
  unique: boolean;
  /** The entity this column points to (a foreign key), if any. */
  references: string | null;
  /** Set by the database when omitted on create. */
  defaulted: boolean;
}

export interface Entity {
  name: string;
  table: string;
  /** The collection path of its CRUD routes, e.g. /api/orders. */
  path: string;
  columns: Column[];
}

export type RouteKind =
  | "list"
  | "children"
  | "get"
  | "me"
  | "create"
  | "update"
  | "replace"
  | "delete"
  | "action"
  | "record"
  | "placeholder";

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Pathname pattern (URLPattern syntax); every :param is a UUID. */
  path: string;
  entity: string;
  kind: RouteKind;
  /** For `children`: the column holding the parent's id (the path's first :param). */
  parentColumn: string | null;
  /**
   * For `action`: SQL column assignments, a literal text value or the word `now()`. A
   * `record` action has none: it appends the verb to the action_log table instead.
   */
  assignments: { column: string; value: string }[];
  purpose: string;
}

export interface Screen {
  id: string;
  name: string;
  /** The page's path (URLPattern syntax). */
  route: string;
  /** The HTML file under web/pages/. */
  file: string;
  /** The collection the page lists, or the entity it shows when the route has :id. */
  entity: string;
  mode: "list" | "detail";
}

export interface Model {
  name: string;
  /** The table where `record` actions are appended. */
  actionLog: string;
  /** The entity whose rows are the users (X-User-Id), if any. */
  userEntity: string | null;
  /** In dependency order: every entity after the entities its required columns point to. */
  entities: Entity[];
  routes: Route[];
  screens: Screen[];
}
