import type { ActionFunctionArgs } from "@remix-run/server-runtime";
import { redirect } from "@remix-run/server-runtime";

/** GET never changes data: it only sends the visitor home. */
export function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await context.services.sessions.destroy(request, { secure: context.https });
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
