import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
} from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/server-runtime";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getUser, withUser } from "../http/auth.server.ts";
import { createProjectFromForm, refusalLocation } from "../projects/projects.server.ts";
import { listProjects } from "../projects/use-cases.server.ts";
import { DirectiveField } from "../components/form.tsx";

/** A refused creation (429) carries Retry-After on the document itself. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction = () => [
  { title: "Your projects — Atlas9" },
  { name: "description", content: "Your Atlas9 blueprints: status, search and versions." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const search = url.searchParams.get("q")?.trim().slice(0, 100) || undefined;
  const cursor = url.searchParams.get("cursor") || undefined;
  const { data: listed } = await withUser(request, context, (userId) =>
    context.timing.time(
      "db",
      () => listProjects(context.services, { userId, cursor, limit: 20, search }),
    ));
  // A cursor this app did not issue (edited or truncated URL) is the client's mistake.
  if (listed.kind === "invalid_cursor") throw new Response("Invalid cursor", { status: 400 });
  const { page } = listed;
  return json({
    search: search ?? "",
    nextCursor: page.nextCursor,
    items: page.items.map((p) => ({
      id: p.id,
      title: p.title,
      directive: p.directive,
      status: p.status,
      visibility: p.visibility,
      updatedAt: p.updatedAt,
    })),
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const user = await getUser(request, context);
  if (!user) {
    const directive = String(form.get("directive") ?? "").slice(0, 400);
    return redirect(`/signup?${new URLSearchParams({ directive })}`);
  }
  const result = await createProjectFromForm(form, { services: context.services, userId: user.id });
  switch (result.kind) {
    case "throttled":
      // Re-shown here with the directive kept, as a 429 (with and without JavaScript).
      return json({ directive: result.directive, error: result.message }, {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    case "invalid":
      // Not English or no product (issue 11): the form again, with the message, as a 422.
      if (result.status === 422) {
        return json({ directive: result.directive, error: result.message }, { status: 422 });
      }
      return redirect(refusalLocation(result));
    case "limit":
      return redirect(refusalLocation(result));
  }
  return redirect(`/projects/${result.project.id}`);
}

const STATUS_BADGE: Record<string, string> = {
  completed: "badge ok",
  running: "badge",
  queued: "badge",
  failed: "badge err",
};

export default function Projects() {
  const { items, nextCursor, search } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      {refused
        ? (
          <Form method="post" action="/projects" className="card hero-form">
            <DirectiveField defaultValue={refused.directive} error={refused.error} />
            <p>
              <button type="submit">Generate blueprint</button>
            </p>
          </Form>
        )
        : null}
      <div
        style={{
          display: "flex",
          justifyContent: "space-between",
          alignItems: "center",
          gap: "1rem",
          flexWrap: "wrap",
        }}
      >
        <h1>Your projects</h1>
        <Link className="button" to="/#directive">New blueprint</Link>
      </div>
      <Form method="get" role="search" className="field" style={{ maxWidth: "28rem" }}>
        <label htmlFor="q">Search by title</label>
        <div style={{ display: "flex", gap: ".5rem" }}>
          <input id="q" type="search" name="q" defaultValue={search} />
          <button type="submit" className="secondary">Search</button>
        </div>
      </Form>
      {items.length === 0
        ? (
          <section className="card empty">
            <h2>{search ? "No project matches that search" : "No projects yet"}</h2>
            <p className="muted">
              {search
                ? "Try another word from the title."
                : "Describe a product in one sentence and Atlas9 drafts the whole blueprint."}
            </p>
            <Link className="button" to="/#directive">Write a directive</Link>
          </section>
        )
        : (
          <ul className="project-list" aria-busy={navigation.state === "loading" || undefined}>
            {items.map((project) => (
              <li key={project.id} className="card">
                <div>
                  <Link to={`/projects/${project.id}`}>
                    <strong>{project.title}</strong>
                  </Link>
                  <p className="muted" style={{ margin: ".25rem 0 0" }}>{project.directive}</p>
                </div>
                <div style={{ display: "flex", gap: ".5rem", flexShrink: 0 }}>
                  <span className={STATUS_BADGE[project.status] ?? "badge"}>{project.status}</span>
                  {project.visibility === "public"
                    ? <span className="badge ok">public</span>
                    : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      {nextCursor
        ? (
          <nav className="pager" aria-label="Pagination">
            <Link
              className="button secondary"
              to={`/projects?${new URLSearchParams({
                ...(search ? { q: search } : {}),
                cursor: nextCursor,
              })}`}
            >
              Older projects
            </Link>
          </nav>
        )
        : null}
    </>
  );
}
