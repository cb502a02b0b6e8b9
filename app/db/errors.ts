/** Typed errors of the data layer, so callers branch on types, never on messages. */

/** Sign-up with an email that already has an account. */
export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  constructor(readonly email: string, options?: ErrorOptions) {
    super("an account with this email already exists", options);
  }
}

/** A project slug that another project already uses. */
export class SlugTakenError extends Error {
  override name = "SlugTakenError";
  constructor(readonly slug: string, options?: ErrorOptions) {
    super(`the slug "${slug}" is taken`, options);
  }
}

/** A pagination cursor this layer did not issue. */
export class InvalidCursorError extends Error {
  override name = "InvalidCursorError";
  constructor() {
    super("invalid pagination cursor");
  }
}

/** SQLSTATE of a unique violation. */
const UNIQUE_VIOLATION = "23505";

/** True when `error` or one of its causes carries SQLSTATE 23505 (Drizzle wraps driver errors). */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Node socket errors that mean the server could not be reached or dropped the connection. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);

/** SQLSTATEs of a server shutting down or not yet accepting connections (class 08 aside). */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03"]);

// node-postgres and the Neon driver raise these without any code; the messages are theirs, verbatim.
const CODELESS_DRIVER_MESSAGES = new Set([
  "Connection terminated unexpectedly",
  "Connection terminated",
  "timeout exceeded when trying to connect",
]);

/** SQLSTATEs of a server out of disk or memory (class 53, insufficient resources). */
const RESOURCE_STATES = /^53[0-9A-Z]{3}$/;

/** SQLite's (Deno KV, local file) and the OS's words for a full disk. */
const FULL_DISK_MESSAGE = /database or disk is full|no space left on device|disk quota exceeded/i;

/**
 * True when `error` or one of its causes means a store could not write for want of space
 * (PostgreSQL 53100 and class 53, a full disk under Deno KV's SQLite): retry later, a 503.
 */
export function isStorageFullError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RESOURCE_STATES.test(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && FULL_DISK_MESSAGE.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * True when `error` or one of its causes means the database is unreachable (retry later)
 * rather than that the query was wrong: SQLSTATE class 08, 57P01–57P03, socket errors.
 */
export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") {
      if (SOCKET_CODES.has(code) || UNAVAILABLE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
        return true;
      }
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && CODELESS_DRIVER_MESSAGES.has(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
