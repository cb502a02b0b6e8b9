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
