import type { ServerTiming } from "../http/timing.ts";
import type { Services } from "./services.server.ts";

declare module "@remix-run/server-runtime" {
  /** What every loader and action receives from server.ts (docs/architecture.md §3: passed in, not global). */
  interface AppLoadContext {
    services: Services;
    nonce: string;
    timing: ServerTiming;
    clientIp: string;
    https: boolean;
    /** The request is for a document, not for loader data (`?_data=`, client navigations). */
    document: boolean;
    /**
     * Markup a loader rendered for this document alone (by element id): entry.server puts it
     * in the page (`ServerHtml`), so it is not sent again in the hydration data.
     */
    serverHtml: Map<string, string>;
  }
}
