import type {} from "../context.ts";
import { redirect } from "@remix-run/server-runtime";
import type { AppLoadContext } from "@remix-run/server-runtime";
import type { User } from "../db/repositories/users.server.ts";

/** The signed-in user of a browser request, or null. */
export async function getUser(request: Request, context: AppLoadContext): Promise<User | null> {
  const { services, timing } = context;
  const session = await timing.time("kv", () => services.sessions.get(request));
  if (!session) return null;
  return await timing.time("db", () => services.repos.users.getById(session.userId));
}

/** The signed-in user, or a redirect to the login page that comes back here. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<User> {
  const user = await getUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    throw redirect(`/login?${params}`);
  }
  return user;
}

/** A same-site path to go to after login; anything else becomes the dashboard. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.includes("\\")) {
    return "/projects";
  }
  return to;
}
