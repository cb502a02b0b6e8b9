/**
 * The production server.ts, plus one test hook: on SIGUSR2 it runs a full garbage collection
 * (needs `--v8-flags=--expose-gc`) and prints `memory <Deno.memoryUsage() as JSON>`, so a load
 * test can tell retained memory from garbage not yet collected.
 */
Deno.addSignalListener("SIGUSR2", () => {
  (globalThis as { gc?: () => void }).gc?.();
  console.log(`memory ${JSON.stringify(Deno.memoryUsage())}`);
});
await import("../../server.ts");
