import { eq } from "drizzle-orm";
import { ulid } from "ulid";
import type { Db } from "../client.server.ts";
import { EmailTakenError, isUniqueViolation } from "../errors.ts";
import { users } from "../schema.ts";

export { EmailTakenError };

/** An account, as the rest of the app sees it. */
export interface User {
  id: string;
  email: string;
  createdAt: string;
}

/** An account with its password hash, for verifying a login only. */
export interface UserCredentials extends User {
  passwordHash: string;
}

export interface UsersRepository {
  /** Creates an account; throws `EmailTakenError` when the email is in use. */
  create(options: { email: string; passwordHash: string }): Promise<User>;
  /** The account with this email (any case), with its password hash. */
  findByEmail(email: string): Promise<UserCredentials | null>;
  /** The account with this id. */
  getById(id: string): Promise<User | null>;
}

/** Emails are stored trimmed and lowercased, so lookups and uniqueness ignore case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Maps a `users` row to a `User`. */
export function toUser(row: typeof users.$inferSelect): User {
  return { id: row.id, email: row.email, createdAt: row.createdAt.toISOString() };
}

/** Account storage. */
export function createUsersRepository({ db }: { db: Db }): UsersRepository {
  return {
    async create({ email, passwordHash }) {
      const normalized = normaliseEmail(email);
      try {
        const [row] = await db.insert(users)
          .values({ id: ulid(), email: normalized, passwordHash })
          .returning();
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new EmailTakenError(normalized, { cause: error });
        throw error;
      }
    },

    async findByEmail(email) {
      const [row] = await db.select().from(users).where(eq(users.email, normaliseEmail(email)));
      return row ? { ...toUser(row), passwordHash: row.passwordHash } : null;
    },

    async getById(id) {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row ? toUser(row) : null;
    },
  };
}
