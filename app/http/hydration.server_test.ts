import assert from "node:assert/strict";
import { deferHydration, HYDRATION_LOADER } from "./hydration.server.ts";

const REMIX_TAIL = `<link rel="modulepreload" href="/build/manifest-A.js"/>` +
  `<link rel="modulepreload" href="/build/entry.client-B.js"/>` +
  `<script nonce="n0nce">window.__remixContext = {};</script>` +
  `<script nonce="n0nce" type="module" async="">import "/build/manifest-A.js";\n` +
  `import(\"/build/entry.client-B.js\");</script>`;
const PAGE = `<!DOCTYPE html><html><head><title>t</title></head><body><main>Hi</main>` +
  `${REMIX_TAIL}</body></html>`;

Deno.test("hydration: module preloads and the module script leave the server inert", () => {
  const html = deferHydration(PAGE, "n0nce").replace(HYDRATION_LOADER, "");
  assert.doesNotMatch(html, /rel="modulepreload"/, "nothing is preloaded before the paint");
  assert.doesNotMatch(html, /type="module"/, "the module does not run before the paint");
  assert.equal(html.match(/rel="x-atlas9-modulepreload"/g)?.length, 2);
  assert.match(html, /<script nonce="n0nce" type="x-atlas9-module" async="">/);
  // The classic context script runs as before; the module's text is unchanged (its CSP hash).
  assert.ok(html.includes(`<script nonce="n0nce">window.__remixContext = {};</script>`));
  assert.ok(html.includes(`import "/build/manifest-A.js";\nimport("/build/entry.client-B.js");`));
});

Deno.test("hydration: one loader, with the page's nonce, just before </body>", () => {
  const html = deferHydration(PAGE, "n0nce");
  assert.ok(html.endsWith(`<script nonce="n0nce">${HYDRATION_LOADER}</script></body></html>`));
  assert.equal(html.split("<script").length, PAGE.split("<script").length + 1);
  // A stored page (hashed CSP) has no nonce: the loader is hashed with the rest.
  assert.ok(deferHydration(PAGE).includes(`<script>${HYDRATION_LOADER}</script></body>`));
});

Deno.test("hydration: a page without scripts (a public page) is sent as rendered", () => {
  const plain = `<!DOCTYPE html><html><body><main>Public</main></body></html>`;
  assert.equal(deferHydration(plain, "n0nce"), plain);
});

Deno.test("hydration: the loader wakes what the server made inert, after fonts and a frame", () => {
  assert.match(HYDRATION_LOADER, /document\.currentScript\.remove\(\)/);
  assert.match(HYDRATION_LOADER, /document\.fonts\.ready/);
  assert.match(HYDRATION_LOADER, /requestAnimationFrame/);
  assert.match(HYDRATION_LOADER, /l\.rel="modulepreload"/);
  assert.match(HYDRATION_LOADER, /s\.type="module"/);
  // It is valid JavaScript.
  new Function(HYDRATION_LOADER);
});
