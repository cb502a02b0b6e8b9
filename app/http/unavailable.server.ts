/**
 * While Postgres is unreachable, requests answer 503 with Retry-After (a clear page, or
 * problem+json for the API) instead of a 500: the data layer handed to Remix throws such a
 * Response whenever a call fails for want of a connection. Background work keeps the raw
 * layer and retries (`retryDb` in app/generation/stage-records.server.ts).
 */
import { isConnectionError, isStorageFullError } from "../db/errors.ts";
import { HttpError, problemResponse } from "./errors.ts";

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** The 503 a route throws while the database is unreachable; root's ErrorBoundary renders it. */
export function unavailableResponse(instance?: string): Response {
  return problemResponse(
    new HttpError(
      503,
      "The database is briefly unavailable. Your work is saved; try again in a few seconds.",
      { headers: { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_S) } },
    ),
    instance,
  );
}

/**
 * Marks the 503s thrown for a full disk rather than an unreachable database. A global symbol:
 * the handler runs this module from source, routes from the Remix build's copy.
 */
const STORAGE_FULL = Symbol.for("atlas9.unavailable.storageFull");

/** Whether `value` is the 503 `throwingUnavailable` threw for a storage-full error. */
export function isStorageFullResponse(value: unknown): boolean {
  return typeof value === "object" && value !== null &&
    (value as Record<symbol, unknown>)[STORAGE_FULL] === true;
}

/**
 * The same object whose methods (also of nested objects, e.g. `repos.users.getById`) throw
 * `unavailableResponse()` instead of a database connection error.
 */
export function throwingUnavailable<T extends object>(target: T): T {
  const wrapped = new WeakMap<object, unknown>();
  const translate = (error: unknown): never => {
    if (isStorageFullError(error)) {
      throw Object.assign(unavailableResponse(), { [STORAGE_FULL]: true });
    }
    if (isConnectionError(error)) throw unavailableResponse();
    throw error;
  };
  const wrap = <O extends object>(object: O): O =>
    new Proxy(object, {
      get(obj, property, receiver) {
        const value: unknown = Reflect.get(obj, property, receiver);
        if (value === null || (typeof value !== "object" && typeof value !== "function")) {
          return value;
        }
        if (!wrapped.has(value)) {
          wrapped.set(
            value,
            typeof value === "function"
              ? (...args: unknown[]) => {
                try {
                  const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
                  return result instanceof Promise ? result.catch(translate) : result;
                } catch (error) {
                  return translate(error);
                }
              }
              : wrap(value),
          );
        }
        return wrapped.get(value);
      },
    });
  return wrap(target);
}
