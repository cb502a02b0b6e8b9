import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { json } from "@remix-run/server-runtime";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import {
  loadPublicPage,
  publicPageView,
  renderEtag,
  shareCard,
} from "../projects/public/render.server.ts";
import { hasSessionCookie } from "../auth/session.server.ts";
import {
  cacheTagOf,
  projectScope,
  PUBLIC_CACHE_CONTROL,
} from "../projects/public/page-store.server.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";
import type { BrandSpec, ProductSpec } from "../blueprint/schemas.ts";
import { StageSection } from "../components/stage-section.tsx";
import { STAGE_TITLES } from "../render/format.ts";

/**
 * Read-only and cacheable: sent as plain HTML without scripts (links and <details> need none),
 * so a visitor downloads and runs no JavaScript and the page carries its data only once.
 */
export const handle = { hydrate: false };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await context.timing.time(
    "kv",
    () => loadPublicPage({ services: context.services, slug: params.slug ?? "" }),
  );
  if (!page) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const openFile = url.searchParams.get("file")?.slice(0, 300) || null;
  const view = publicPageView(page, { file: openFile });
  // Absolute URLs come from the configured origin: a request's Host is the visitor's to choose.
  const origin = context.services.env.publicOrigin;
  const data = {
    ...view,
    openFile,
    share: shareCard(view),
    pageUrl: `${origin}/p/${encodeURIComponent(page.project.slug)}`,
    imageUrl: `${origin}/p/${encodeURIComponent(page.project.slug)}/og.png`,
  };
  // A signed-in visitor's page carries their header: theirs alone, never a shared cache's.
  // Everyone else gets one anonymous variant, whatever other cookies they send.
  const headers = new Headers();
  if (hasSessionCookie(request)) {
    headers.set("Cache-Control", "private, no-store");
  } else {
    headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
    headers.set("Deno-Cache-Tag", cacheTagOf(projectScope(page.project.slug)));
    headers.set("ETag", await renderEtag(data));
  }
  return json(data, { headers });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const out = new Headers();
  for (const name of ["Cache-Control", "ETag", "Vary", "Deno-Cache-Tag"]) {
    const value = loaderHeaders.get(name);
    if (value) out.set(name, value);
  }
  return out;
};

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Not found — Atlas9" }];
  const { share, project } = data;
  const title = `${share.name} — a product blueprint on Atlas9`;
  const alt = `${share.name}: ${share.tagline}`;
  return [
    { title },
    { name: "description", content: share.description },
    { tagName: "link", rel: "canonical", href: data.pageUrl },
    { property: "og:type", content: "article" },
    { property: "og:site_name", content: "Atlas9" },
    { property: "og:title", content: title },
    { property: "og:description", content: share.description },
    { property: "og:url", content: data.pageUrl },
    { property: "og:image", content: data.imageUrl },
    { property: "og:image:type", content: "image/png" },
    { property: "og:image:width", content: "1200" },
    { property: "og:image:height", content: "630" },
    { property: "og:image:alt", content: alt },
    { property: "article:modified_time", content: project.updatedAt },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: share.description },
    { name: "twitter:image", content: data.imageUrl },
    { name: "twitter:image:alt", content: alt },
  ];
};

export default function PublicProjectPage() {
  const { project, stages, openFile } = useLoaderData<typeof loader>();
  const location = useLocation();
  const present = STAGE_NAMES.filter((stage) => stages[stage]);
  const blueprint = {
    product: stages.product?.output as ProductSpec | undefined,
    brand: stages.brand?.output as BrandSpec | undefined,
  };
  const fileHref = (path: string) => {
    const params = new URLSearchParams(location.search);
    params.set("file", path);
    return `?${params}`;
  };
  return (
    <article aria-labelledby="project-title" className="public-page">
      <header className="project-header">
        <p className="bp-kicker">Public blueprint</p>
        <h1 id="project-title">{project.title}</h1>
        <p className="lede">{project.directive}</p>
        <p className="muted">
          Updated <time dateTime={project.updatedAt}>{project.updatedAt.slice(0, 10)}</time>{" "}
          · generated with Atlas9
        </p>
        {present.length
          ? (
            <nav aria-label="Stages of this blueprint">
              <ul className="chips">
                {present.map((stage) => (
                  <li key={stage}>
                    <a className="chip" href={`#${stage}`}>{STAGE_TITLES[stage]}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )
          : <p>This blueprint has no finished stages yet.</p>}
      </header>
      {present.map((stage) => (
        <StageSection
          key={stage}
          stage={stage}
          view={stages[stage]!}
          running={false}
          stale={false}
          history={[]}
          blueprint={blueprint}
          readOnly
          fileHref={fileHref}
          openPath={openFile}
        />
      ))}
      <aside className="card cta" aria-labelledby="cta-title">
        <h2 id="cta-title">Make a blueprint of your own</h2>
        <p className="muted">
          Describe a product in one sentence; Atlas9 drafts the spec, brand, design, architecture
          and code.
        </p>
        <Link className="button" to="/">Start with one sentence</Link>
      </aside>
    </article>
  );
}
