/**
 * Preloaded before server.ts by lazy_sdk_test.ts: at the first `Deno.serve` (after services
 * were created with both providers configured) prints which SDKs were asked for, then exits.
 */
import { loadedSdks } from "../../app/llm/sdk.server.ts";

Object.defineProperty(Deno, "cron", { configurable: true, value: () => Promise.resolve() });
Object.defineProperty(Deno, "serve", {
  configurable: true,
  value: () => {
    console.log(`SDK_STUB ${JSON.stringify(loadedSdks())}`);
    Deno.exit(0);
  },
});
