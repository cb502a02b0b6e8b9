import type {} from "../server/context.ts";
import { redirect } from "@remix-run/server-runtime";
import type { AppLoadContext } from "@remix-run/server-runtime";
import type { User } from "../db/repositories/users.server.ts";

/** The user of each request's load context: root and route loaders share one lookup. */
const usersOfRequest = new WeakMap<AppLoadContext, Promise<User | null>>();
/** The session's user id of each request's load context, read once (KV). */
const userIdsOfRequest = new WeakMap<AppLoadContext, Promise<string | null>>();

/** The signed-in user of a browser request, or null (read once per request, issue 14.8). */
export function getUser(request: Request, context: AppLoadContext): Promise<User | null> {
  // An action may sign in or out: only reads share the lookup.
  const shared = request.method === "GET" || request.method === "HEAD";
  const known = shared ? usersOfRequest.get(context) : undefined;
  if (known) return known;
  const lookup = readUser(request, context);
  if (shared) usersOfRequest.set(context, lookup);
  return lookup;
}

async function readUser(request: Request, context: AppLoadContext): Promise<User | null> {
  const userId = await getUserId(request, context);
  if (userId === null) return null;
  return await context.timing.time("db", () => context.services.repos.users.getById(userId));
}

/** The user id of the request's session, or null: the session read getUser shares. */
function getUserId(request: Request, context: AppLoadContext): Promise<string | null> {
  const shared = request.method === "GET" || request.method === "HEAD";
  const known = shared ? userIdsOfRequest.get(context) : undefined;
  if (known) return known;
  const lookup = context.timing.time("kv", () => context.services.sessions.get(request))
    .then((session) => session?.userId ?? null);
  if (shared) userIdsOfRequest.set(context, lookup);
  return lookup;
}

/**
 * `requireUser` and a read of the user's own data side by side: the data query starts as soon
 * as the session names the user, beside the user row's (one round trip instead of two on a
 * networked database). Without a user the data is dropped and the login redirect thrown.
 */
export async function withUser<T>(
  request: Request,
  context: AppLoadContext,
  read: (userId: string) => Promise<T>,
): Promise<{ user: User; data: T }> {
  const userId = await getUserId(request, context);
  const data = userId === null ? null : read(userId);
  // Settled either way below: a failure beside a missing user must not go unhandled.
  data?.catch(() => {});
  // Throws the login redirect without a user (no session, or its user is gone).
  const user = await requireUser(request, context);
  return { user, data: await data! };
}

/**
 * The signed-in user, or a redirect to the login page that comes back here. The redirect
 * depends on the cookie, so it is never stored by a shared cache.
 */
export async function requireUser(request: Request, context: AppLoadContext): Promise<User> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    throw redirect(`/login?${params}`, {
      headers: { "Cache-Control": "private, no-store", Vary: "Cookie" },
    });
  }
  return user;
}

/** Stands in for our origin when resolving a redirect target: only its own URLs are kept. */
const SELF = "https://atlas9.invalid";

/**
 * A same-origin path to go to after login; anything else becomes the dashboard. The target
 * is resolved as a browser would (`new URL(to, origin)`, which drops tabs and newlines and
 * reads `\\` as `/`) and kept only when it stays on our origin; control characters anywhere
 * (tab, CR/LF, NUL, DEL, C1) are refused outright.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined): string {
  const fallback = "/projects";
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2048) return fallback;
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, SELF);
  } catch {
    return fallback;
  }
  // `/./..//host` resolves to the path `//host`, which a browser reads as another host.
  if (url.origin !== SELF || url.pathname.startsWith("//")) return fallback;
  return url.pathname + url.search + url.hash;
}
