import { and, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { ulid } from "ulid";
import type { Db } from "../client.server.ts";
import { InvalidCursorError, isUniqueViolation, SlugTakenError } from "../errors.ts";
import { projects, type ProjectStatus, type ProjectVisibility } from "../schema.ts";

export type { ProjectStatus, ProjectVisibility };
export { InvalidCursorError, SlugTakenError };

/** A blueprint project. */
export interface Project {
  id: string;
  userId: string;
  slug: string;
  directive: string;
  title: string;
  visibility: ProjectVisibility;
  status: ProjectStatus;
  createdAt: string;
  updatedAt: string;
}

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProjectsRepository {
  /** Creates a project; throws `SlugTakenError` when the slug is in use. */
  create(options: {
    userId: string;
    directive: string;
    title: string;
    slug: string;
    visibility?: ProjectVisibility;
  }): Promise<Project>;
  /** The project if `userId` owns it (another user's project is indistinguishable from none). */
  getForUser(options: { id: string; userId: string }): Promise<Project | null>;
  /** The project, whoever owns it (for the pipeline, not for requests). */
  getById(id: string): Promise<Project | null>;
  /** A public project by slug, from the read replica. */
  getPublicBySlug(slug: string): Promise<Project | null>;
  /**
   * A user's projects, newest first, from the read replica. `search` matches title or
   * directive, case-insensitively, literally. Throws `InvalidCursorError` on a bad cursor.
   */
  listForUser(options: {
    userId: string;
    cursor?: string | null;
    limit: number;
    search?: string;
  }): Promise<Page<Project>>;
  /** Public projects, newest first, from the read replica. */
  listPublic(
    options: {
      limit: number;
      cursor?: string | null;
      /** Read the primary: for answers that are stored until the next change (decision 015). */
      fresh?: boolean;
    },
  ): Promise<Page<Project>>;
  /** Changes the given fields of the user's project; null when the user does not own it. */
  update(options: {
    id: string;
    userId: string;
    title?: string;
    visibility?: ProjectVisibility;
    status?: ProjectStatus;
  }): Promise<Project | null>;
  /** Sets a project's title (pipeline, after naming the product); false when it is gone. */
  rename(options: { id: string; title: string }): Promise<boolean>;
  /** Sets a project's generation status (pipeline); false when the project is gone. */
  setStatus(options: { id: string; status: ProjectStatus }): Promise<boolean>;
  /** Deletes the user's project and its generations; false when the user does not own it. */
  delete(options: { id: string; userId: string }): Promise<boolean>;
}

/** Upper bound on a page, whatever the caller asks for. */
export const MAX_PAGE_SIZE = 100;

function toProject(row: typeof projects.$inferSelect): Project {
  return {
    id: row.id,
    userId: row.userId,
    slug: row.slug,
    directive: row.directive,
    title: row.title,
    visibility: row.visibility,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Project storage; `readDb` serves the reads that tolerate replica lag. */
export function createProjectsRepository(
  { db, readDb }: { db: Db; readDb: Db },
): ProjectsRepository {
  return {
    async create({ userId, directive, title, slug, visibility = "private" }) {
      try {
        const [row] = await db.insert(projects)
          .values({ id: ulid(), userId, directive, title, slug, visibility })
          .returning();
        return toProject(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new SlugTakenError(slug, { cause: error });
        throw error;
      }
    },

    async getForUser({ id, userId }) {
      const [row] = await db.select().from(projects)
        .where(and(eq(projects.id, id), eq(projects.userId, userId)));
      return row ? toProject(row) : null;
    },

    async getById(id) {
      const [row] = await db.select().from(projects).where(eq(projects.id, id));
      return row ? toProject(row) : null;
    },

    // Owner paths and the public page itself read the primary: a replica's lag would show an
    // owner a list without their new project or serve an unpublished page (issue 14 item 3).
    async getPublicBySlug(slug) {
      const [row] = await db.select().from(projects)
        .where(and(eq(projects.slug, slug), eq(projects.visibility, "public")));
      return row ? toProject(row) : null;
    },

    listForUser({ userId, cursor, limit, search }) {
      const pattern = search?.trim() ? `%${escapeLike(search.trim())}%` : undefined;
      return listPage(db, {
        filter: and(
          eq(projects.userId, userId),
          pattern
            ? or(ilike(projects.title, pattern), ilike(projects.directive, pattern))
            : undefined,
        )!,
        cursor,
        limit,
      });
    },

    // The anonymous list of public projects tolerates lag: only it reads the replica.
    listPublic({ limit, cursor, fresh }) {
      const source = fresh ? db : readDb;
      return listPage(source, { filter: eq(projects.visibility, "public"), cursor, limit });
    },

    async update({ id, userId, title, visibility, status }) {
      const [row] = await db.update(projects)
        .set({ title, visibility, status, updatedAt: sql`now()` })
        .where(and(eq(projects.id, id), eq(projects.userId, userId)))
        .returning();
      return row ? toProject(row) : null;
    },

    async rename({ id, title }) {
      const rows = await db.update(projects)
        .set({ title, updatedAt: sql`now()` })
        .where(eq(projects.id, id))
        .returning({ id: projects.id });
      return rows.length > 0;
    },

    async setStatus({ id, status }) {
      const rows = await db.update(projects)
        .set({ status, updatedAt: sql`now()` })
        .where(eq(projects.id, id))
        .returning({ id: projects.id });
      return rows.length > 0;
    },

    async delete({ id, userId }) {
      const rows = await db.delete(projects)
        .where(and(eq(projects.id, id), eq(projects.userId, userId)))
        .returning({ id: projects.id });
      return rows.length > 0;
    },
  };
}

/** Keyset pagination on (created_at, id) descending: stable under inserts, no OFFSET scans. */
async function listPage(
  db: Db,
  options: { filter: SQL; cursor?: string | null; limit: number },
): Promise<Page<Project>> {
  const limit = Math.min(Math.max(Math.trunc(options.limit) || 1, 1), MAX_PAGE_SIZE);
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await db.select().from(projects)
    .where(and(
      options.filter,
      after
        ? sql`(${projects.createdAt}, ${projects.id}) < (${after.createdAt}::timestamptz, ${after.id})`
        : undefined,
    ))
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(toProject);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** Makes `%`, `_` and `\` in user input match themselves in a LIKE pattern. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * Only the exact form we issue: Postgres rejects many strings `Date.parse` accepts, among
 * them expanded years such as `+010000-01-01T00:00:00.000Z` (22009).
 */
function isIsoTimestamp(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(text)) return false;
  const time = Date.parse(text);
  return !Number.isNaN(time) && new Date(time).toISOString() === text;
}

function encodeCursor(createdAt: string, id: string): string {
  const bytes = new TextEncoder().encode(JSON.stringify([createdAt, id]));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const base64 = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (
      Array.isArray(value) && value.length === 2 &&
      typeof value[0] === "string" && isIsoTimestamp(value[0]) &&
      typeof value[1] === "string" && /^[0-9A-Z]{26}$/.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // Falls through to the typed error: any malformed cursor is the caller's mistake.
  }
  throw new InvalidCursorError();
}
