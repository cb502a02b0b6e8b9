import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/server-runtime";
import { json } from "@remix-run/server-runtime";
import { Form, Link, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { loader as rootLoader } from "../root.tsx";
import { z } from "zod";
import { CREATE_ERROR_MESSAGES, refusalMessage } from "../blueprint/refusals.ts";
import type { CreateErrorCode } from "../blueprint/refusals.ts";
import { getUser } from "../http/auth.server.ts";
import { DirectiveField } from "../components/form.tsx";
import { cacheTagOf, LANDING_SCOPE } from "../projects/public/page-store.server.ts";

/**
 * Signed out, the landing page is the same for everyone: shared caches may keep it a minute
 * (purged when the examples it lists change). `Vary: Cookie` keeps a signed-in visitor's own
 * header from being answered with the anonymous copy.
 */
const LANDING_CACHE = "public, s-maxage=60, stale-while-revalidate=30";

const STAGES = [
  ["Product spec", "features by priority, user stories, personas, metrics"],
  ["Brand", "a name, a voice, a palette with measured contrast, type"],
  ["Design system", "tokens, components, a wireframe per screen"],
  ["Architecture", "data model diagram, API endpoints, stack and decisions"],
  ["Code stubs", "schema, handlers and pages you can run, as a zip"],
] as const;

const EXAMPLES = [
  "A marketplace where local farmers sell vegetable boxes",
  "A booking app for independent dog groomers",
  "An invoicing tool for freelance translators",
  "A study companion for nursing students preparing for exams",
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const directive = params.get("directive")?.slice(0, 400) ?? "";
  const code = params.get("error");
  const limit = z.coerce.number().int().min(1).max(99).safeParse(params.get("limit") ?? "");
  const error = code && code in CREATE_ERROR_MESSAGES
    ? refusalMessage(code as CreateErrorCode, { limit: limit.data })
    : "";
  const [recent, user] = await Promise.all([
    // From the primary: this page is stored until the next publish, a lagging replica's list with it.
    context.timing.time(
      "db",
      () => context.services.repos.projects.listPublic({ limit: 6, fresh: true }),
    ),
    getUser(request, context),
  ]);
  const headers = new Headers({ Vary: "Cookie" });
  if (!user && params.size === 0) {
    headers.set("Cache-Control", LANDING_CACHE);
    headers.set("Deno-Cache-Tag", cacheTagOf(LANDING_SCOPE));
  }
  return json({
    directive,
    error,
    recent: recent.items.map((p) => ({ slug: p.slug, title: p.title, directive: p.directive })),
  }, { headers });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers();
  for (const name of ["Cache-Control", "Vary", "Deno-Cache-Tag"]) {
    const value = loaderHeaders.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

export default function Index() {
  const { directive, error, recent } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<typeof rootLoader>("root");
  const signedIn = Boolean(root?.user);
  return (
    <>
      <section className="hero">
        <div className="hero-intro">
          <h1>
            One sentence in. <span className="serif">A whole product blueprint out.</span>
          </h1>
          <p className="lede">
            Atlas9 turns a product directive into a product spec, a brand, a design system, an
            architecture and runnable code stubs — streamed live, in under a minute, kept as a
            versioned project you can regenerate stage by stage, publish and export.
          </p>
        </div>
        <ol className="steps" aria-label="What you get, in five stages">
          {STAGES.map(([name, what]) => (
            <li key={name}>
              <strong>{name}</strong> <span className="muted">{what}</span>
            </li>
          ))}
        </ol>
        <Form method="post" action="/projects" className="card hero-form">
          <DirectiveField
            defaultValue={directive}
            error={error}
            placeholder={EXAMPLES[0]}
            hint={
              <>
                3 to 400 characters.{" "}
                {signedIn ? "" : "You’ll create a free account first; we keep your directive."}
              </>
            }
          />
          <p>
            <button type="submit">Generate blueprint</button>
          </p>
          <p className="hint">Try one of these:</p>
          <ul className="chips">
            {EXAMPLES.map((example) => (
              <li key={example}>
                <Link className="chip" to={`/?directive=${encodeURIComponent(example)}#directive`}>
                  {example}
                </Link>
              </li>
            ))}
          </ul>
        </Form>
      </section>
      {recent.length
        ? (
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recently published blueprints</h2>
            <ul className="grid recent">
              {recent.map((project) => (
                <li key={project.slug} className="card">
                  <Link to={`/p/${project.slug}`}>
                    <strong>{project.title}</strong>
                  </Link>
                  <p className="muted">{project.directive}</p>
                </li>
              ))}
            </ul>
          </section>
        )
        : null}
    </>
  );
}
