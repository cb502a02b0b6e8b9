import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { ulid } from "ulid";
import type { Db } from "../client.server.ts";
import { apiTokens, users } from "../schema.ts";
import { toUser, type User } from "./users.server.ts";

/** An API token's metadata; the secret itself is never stored, only its SHA-256. */
export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the token, shown so a user can tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface TokensRepository {
  /** Stores a new token by its hash. */
  create(options: { userId: string; name: string; prefix: string; tokenHash: string }): Promise<
    ApiToken
  >;
  /** The unrevoked token with this hash and its owner. */
  findActiveByHash(tokenHash: string): Promise<{ token: ApiToken; user: User } | null>;
  /** A user's unrevoked tokens, newest first. */
  list(userId: string): Promise<ApiToken[]>;
  /** Revokes one of the user's tokens; false when there was no such active token. */
  revoke(options: { id: string; userId: string }): Promise<boolean>;
  /** Revokes the token with this hash (the caller's own token); false when none was active. */
  revokeByHash(tokenHash: string): Promise<boolean>;
  /** Records that the token was just used. */
  touch(id: string): Promise<void>;
}

/** `last_used_at` is informational: at most one write per token per minute, not per request. */
const TOUCH_INTERVAL = sql`interval '60 seconds'`;

function toApiToken(row: typeof apiTokens.$inferSelect): ApiToken {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** API token storage. */
export function createTokensRepository({ db }: { db: Db }): TokensRepository {
  return {
    async create({ userId, name, prefix, tokenHash }) {
      const [row] = await db.insert(apiTokens)
        .values({ id: ulid(), userId, name, prefix, tokenHash })
        .returning();
      return toApiToken(row);
    },

    async findActiveByHash(tokenHash) {
      const [row] = await db.select({ token: apiTokens, user: users })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
      return row ? { token: toApiToken(row.token), user: toUser(row.user) } : null;
    },

    async list(userId) {
      const rows = await db.select().from(apiTokens)
        .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
      return rows.map(toApiToken);
    },

    async revoke({ id, userId }) {
      const rows = await db.update(apiTokens)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },

    async revokeByHash(tokenHash) {
      const rows = await db.update(apiTokens)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.length > 0;
    },

    async touch(id) {
      await db.update(apiTokens)
        .set({ lastUsedAt: sql`now()` })
        .where(and(
          eq(apiTokens.id, id),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(apiTokens.lastUsedAt, sql`now() - ${TOUCH_INTERVAL}`),
          ),
        ));
    },
  };
}
