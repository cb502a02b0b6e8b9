/**
 * Reads the engine's knowledge files at run time. They are JSON, and the Remix server compiler
 * (esbuild 0.17) cannot parse `import … with { type: "json" }`, so they are read from disk
 * instead of imported: from this directory when running the sources, and from
 * `app/llm/offline/knowledge/` beside `build/` when running the server bundle.
 */
const HERE = new URL(".", import.meta.url);
const DIR = HERE.pathname.endsWith("/app/llm/offline/knowledge/")
  ? HERE
  : new URL("../app/llm/offline/knowledge/", HERE);

/** A knowledge file parsed as JSON (`kinds.json`, `concepts/sre.json`). */
export function readKnowledge(name: string): unknown {
  return JSON.parse(Deno.readTextFileSync(new URL(name, DIR)));
}

/** The JSON files of a knowledge subdirectory by name without `.json`, in name order. */
export function readKnowledgeDir(dir: string): Record<string, unknown> {
  const names = [...Deno.readDirSync(new URL(`${dir}/`, DIR))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".json"))
    .map((entry) => entry.name).sort();
  return Object.fromEntries(
    names.map((name) => [name.slice(0, -".json".length), readKnowledge(`${dir}/${name}`)]),
  );
}
