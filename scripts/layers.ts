/**
 * Prints every import under app/ that runs up the layers, and every import cycle.
 * Usage: deno run -A scripts/layers.ts  (exit 1 when there is any)
 */
import { importCycles, importGraph, upwardImports } from "../tests/architecture/graph.ts";

const graph = await importGraph(new URL("../app/", import.meta.url));
const upward = upwardImports(graph);
const cycles = importCycles(graph);
for (const arrow of upward) {
  console.log(`up: ${arrow.from} (${arrow.fromLayer}) -> ${arrow.to} (${arrow.toLayer})`);
}
for (const cycle of cycles) console.log(`cycle: ${cycle.join(" -> ")}`);
console.log(`${graph.size} modules, ${upward.length} upward imports, ${cycles.length} cycles`);
if (upward.length || cycles.length) Deno.exit(1);
