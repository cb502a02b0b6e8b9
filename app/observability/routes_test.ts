import assert from "node:assert/strict";
import { createRouteTable } from "./routes.ts";

const ROUTES = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/$": { id: "routes/$", parentId: "root", path: "*" },
  "routes/projects._index": {
    id: "routes/projects._index",
    parentId: "root",
    path: "projects",
    index: true,
  },
  "routes/projects.$id": { id: "routes/projects.$id", parentId: "root", path: "projects/:id" },
  "routes/projects.$id.events": {
    id: "routes/projects.$id.events",
    parentId: "routes/projects.$id",
    path: "events",
  },
  "routes/api.v1.$": { id: "routes/api.v1.$", parentId: "root", path: "api/v1/*" },
  "routes/api.v1.openapi[.]json": {
    id: "routes/api.v1.openapi[.]json",
    parentId: "root",
    path: "api/v1/openapi.json",
  },
  "routes/api.health": { id: "routes/api.health", parentId: "root", path: "api/health" },
};

Deno.test("routes: a path maps to the pattern of the route that serves it", () => {
  const table = createRouteTable(ROUTES);
  const cases: [string, string][] = [
    ["/", "/"],
    ["/projects", "/projects"],
    ["/projects/", "/projects"],
    ["/projects/01HZX", "/projects/:id"],
    ["/projects/01HZX/events", "/projects/:id/events"],
    ["/api/health", "/api/health"],
    ["/api/v1/openapi.json", "/api/v1/openapi.json"],
    ["/api/v1/openapiXjson", "/api/v1/*"],
    ["/api/v1/anything/else", "/api/v1/*"],
    ["/no/such/page", "/*"],
  ];
  for (const [path, pattern] of cases) assert.equal(table.match(path).pattern, pattern, path);
});

Deno.test("routes: route ids resolve to patterns; unknown ids do not", () => {
  const table = createRouteTable(ROUTES);
  assert.equal(table.patternOf("routes/projects.$id"), "/projects/:id");
  assert.equal(table.patternOf("routes/_index"), "/");
  assert.equal(table.patternOf("routes/made-up"), null);
});
