import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import type { LinksFunction } from "@remix-run/server-runtime";
import { json } from "@remix-run/server-runtime";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import interRegular from "@fontsource/inter/files/inter-latin-400-normal.woff2";
import interBold from "@fontsource/inter/files/inter-latin-700-normal.woff2";
import { useNonce } from "./components/nonce.ts";
import { CriticalCss } from "./components/critical-css.tsx";
import { getUser } from "./http/auth.server.ts";

export const links: LinksFunction = () => [
  // Above the fold on every page: body text and headings (same hashed files app.css uses).
  { rel: "preload", href: interRegular, as: "font", type: "font/woff2", crossOrigin: "anonymous" },
  { rel: "preload", href: interBold, as: "font", type: "font/woff2", crossOrigin: "anonymous" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Atlas9 — a product blueprint from one sentence" },
  {
    name: "description",
    content:
      "Atlas9 turns a one-line product directive into a product spec, brand, design system, architecture and code stubs.",
  },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await getUser(request, context);
  return json({ user: user ? { email: user.email } : null });
}

/** Whether the page loads its scripts: routes whose `handle` says `hydrate: false` are plain HTML. */
function useHydrate(): boolean {
  return useMatches().every((match) =>
    (match.handle as { hydrate?: boolean } | undefined)?.hydrate !== false
  );
}

function Document({ children, title }: { children: ReactNode; title?: string }) {
  const nonce = useNonce();
  const hydrate = useHydrate();
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        <Meta />
        <CriticalCss nonce={nonce} />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="site-header">
          <Link to="/" className="logo">
            Atlas<span>9</span>
          </Link>
          <nav aria-label="Main" className="site-nav">
            {user
              ? (
                <>
                  <NavLink to="/projects">Projects</NavLink>
                  <NavLink to="/settings">Settings</NavLink>
                  <span className="muted">{user.email}</span>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="link">Log out</button>
                  </Form>
                </>
              )
              : (
                <>
                  <NavLink to="/login">Log in</NavLink>
                  <NavLink to="/signup">Sign up</NavLink>
                </>
              )}
          </nav>
        </header>
        <main id="main" tabIndex={-1}>{children}</main>
        <footer className="site-footer">Atlas9 — blueprints, not boilerplate.</footer>
        {hydrate
          ? (
            <>
              <ScrollRestoration nonce={nonce} />
              <Scripts nonce={nonce} />
            </>
          )
          : null}
      </body>
    </html>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Document title="Not found — Atlas9">
        <section className="empty">
          <h1>We couldn’t find that page</h1>
          <p className="lede">The link may be old, or the project may be private or deleted.</p>
          <p>
            <Link to="/">Go to the start page</Link>
          </p>
        </section>
      </Document>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Document title="Something went wrong — Atlas9">
      <section className="empty">
        <h1>{status === 503 ? "Atlas9 is briefly unavailable" : "Something went wrong"}</h1>
        <p className="lede">
          {status === 503
            ? "A service we depend on is not answering. Your work is saved; try again in a moment."
            : "The error was logged. Try again, or go back to the start page."}
        </p>
        <p>
          <Link to="/">Go to the start page</Link>
        </p>
      </section>
    </Document>
  );
}
