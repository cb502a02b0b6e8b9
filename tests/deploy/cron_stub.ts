/**
 * Preloaded before server.ts by crons_test.ts: records every `Deno.cron` registration and
 * whether it came before `Deno.serve`, prints them as one JSON line at the first serve, exits.
 */
const calls: { kind: "cron" | "serve"; name?: string; schedule?: string }[] = [];
Object.defineProperty(Deno, "cron", {
  configurable: true,
  value: (name: string, schedule: string, ..._rest: unknown[]) => {
    calls.push({ kind: "cron", name, schedule: String(schedule) });
    return Promise.resolve();
  },
});
Object.defineProperty(Deno, "serve", {
  configurable: true,
  value: () => {
    calls.push({ kind: "serve" });
    console.log(`CRON_STUB ${JSON.stringify(calls)}`);
    Deno.exit(0);
  },
});
