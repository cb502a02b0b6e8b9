import { RemixBrowser } from "@remix-run/react";
import { startTransition } from "react";
import { hydrateRoot } from "react-dom/client";

startTransition(() => {
  hydrateRoot(document, <RemixBrowser />);
});

/** The landing route's id, from the router Remix exposes once it has hydrated. */
function landingRoute(): string | undefined {
  const router = (globalThis as {
    __remixRouter?: { state: { matches: { route: { id: string } }[] } };
  }).__remixRouter;
  return router?.state.matches.at(-1)?.route.id;
}

// Web vitals load when the browser is idle after hydration, as a separate small chunk.
const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1));
whenIdle(() => {
  const route = landingRoute();
  if (!route) return;
  import("./observability/vitals.client.ts").then(
    ({ reportWebVitals }) => reportWebVitals(route),
    () => {},
  );
});
