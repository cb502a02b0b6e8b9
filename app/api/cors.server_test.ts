import assert from "node:assert/strict";
import { applyCors, preflightResponse } from "./cors.server.ts";

const ALLOWED = ["https://app.example.com"];

function request(origin: string | null, method = "GET") {
  const headers = new Headers();
  if (origin) headers.set("Origin", origin);
  if (method === "OPTIONS") headers.set("Access-Control-Request-Method", "POST");
  return new Request("http://atlas9.test/api/v1/projects", { method, headers });
}

Deno.test("applyCors: only listed origins are granted, never credentials", () => {
  const table: [string[], string | null, string | null][] = [
    [[], "https://app.example.com", null],
    [ALLOWED, "https://app.example.com", "https://app.example.com"],
    [ALLOWED, "https://evil.example.com", null],
    [ALLOWED, "null", null],
    [ALLOWED, null, null],
  ];
  for (const [origins, origin, granted] of table) {
    const headers = new Headers();
    applyCors(headers, request(origin), origins);
    assert.equal(headers.get("Access-Control-Allow-Origin"), granted, `${origins} ${origin}`);
    assert.equal(headers.get("Access-Control-Allow-Credentials"), null);
    assert.equal(headers.get("Vary"), origins.length ? "Origin" : null);
  }
});

Deno.test("preflightResponse: 204, with the grant only for an allowed origin", () => {
  const granted = preflightResponse(request("https://app.example.com", "OPTIONS"), ALLOWED);
  assert.equal(granted.status, 204);
  assert.equal(granted.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
  assert.match(granted.headers.get("Access-Control-Allow-Headers")!, /Authorization/);
  const refused = preflightResponse(request("https://evil.example.com", "OPTIONS"), ALLOWED);
  assert.equal(refused.status, 204);
  assert.equal(refused.headers.get("Access-Control-Allow-Origin"), null);
  const off = preflightResponse(request("https://app.example.com", "OPTIONS"), []);
  assert.equal(off.headers.get("Access-Control-Allow-Origin"), null);
});
