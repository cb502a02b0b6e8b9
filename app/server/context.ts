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
  }
}
