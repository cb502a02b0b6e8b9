/**
 * Property-based fuzzing of every request body, query, header and path parameter of API v1,
 * generated from the served OpenAPI document (fast-check): schema-valid values, values with
 * one field wrong, random JSON, malformed JSON, invalid UTF-8, huge and empty bodies, odd
 * media types. The property: never a 5xx, and every error is a well-formed problem+json
 * answer that the document promises for that operation.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { Contract, moreTokens, signUp, startApi, waitForGeneration } from "../support/api.ts";
import type { ApiResponse } from "../support/api.ts";

type Json = Record<string, any>;

/** Requests per property; the total is printed at the end of the run. */
const RUNS = Number(Deno.env.get("FUZZ_RUNS") ?? 300);

/** Characters no text field should be able to smuggle into storage. */
const NASTY = ["\u0000", "\u0007", "\ud800", "\u202e", "'; DROP TABLE projects; --", "%00", "\\"];

/** An arbitrary value valid under a (request) JSON Schema of the document. */
function arbitraryOf(schema: Json, components: Json): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitraryOf(components[schema.$ref.split("/").at(-1)], components);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case "object": {
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(schema.properties ?? {})) {
        shape[key] = arbitraryOf(value as Json, components);
      }
      const record = fc.record(shape, { requiredKeys: schema.required ?? [] });
      return schema.minProperties
        ? record.filter((value) => Object.keys(value).length >= schema.minProperties)
        : record;
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case "string": {
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 500, 500);
      if (schema.format === "email") {
        const plain = fc.tuple(fc.stringMatching(/^[a-z0-9._-]{1,20}$/), fc.domain())
          .map(([local, domain]) => `${local}@${domain}`);
        return fc.oneof(plain, fc.emailAddress()).filter((email) => email.length <= maxLength);
      }
      if (schema.pattern) {
        const pattern = new RegExp(schema.pattern, "u");
        try {
          return fc.stringMatching(pattern);
        } catch {
          // Unicode property classes are beyond stringMatching: filter free text instead.
          return fc.string({ minLength, maxLength, unit: "grapheme" })
            .filter((text) => pattern.test(text));
        }
      }
      return fc.oneof(
        fc.string({ minLength, maxLength }),
        fc.string({ minLength, maxLength, unit: "grapheme" }),
        fc.string({ minLength, maxLength, unit: "binary" }),
        fc.tuple(fc.string({ minLength, maxLength: maxLength - 12 }), fc.constantFrom(...NASTY))
          .map(([text, nasty]) => text + nasty),
      );
    }
    default:
      return fc.jsonValue();
  }
}

/** A body: valid, one field broken, or anything at all. */
function bodyOf(schema: Json, components: Json): fc.Arbitrary<unknown> {
  const valid = arbitraryOf(schema, components);
  const resolved = schema.$ref ? components[schema.$ref.split("/").at(-1)] : schema;
  const keys = Object.keys(resolved.properties ?? {});
  const broken = fc.tuple(valid, fc.constantFrom(...keys, "unknownField"), fc.jsonValue())
    .map(([value, key, wrong]) => ({ ...(value as Json), [key]: wrong }));
  const dropped = fc.tuple(valid, fc.constantFrom(...keys))
    .map(([value, key]) => {
      const copy = { ...(value as Json) };
      delete copy[key];
      return copy;
    });
  const huge = fc.tuple(valid, fc.constantFrom(...keys), fc.constantFrom(1_000, 20_000, 70_000))
    .map(([value, key, size]) => ({ ...(value as Json), [key]: "é".repeat(size) }));
  return fc.oneof(
    { arbitrary: valid, weight: 4 },
    { arbitrary: broken, weight: 3 },
    { arbitrary: dropped, weight: 1 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: fc.jsonValue(), weight: 2 },
    {
      arbitrary: fc.constantFrom(
        { __proto__: { admin: true } },
        JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}'),
        [],
        null,
        0,
        "",
      ),
      weight: 1,
    },
  );
}

/** The raw bytes of a request body, mostly JSON of `body`, sometimes not JSON at all. */
function rawBodyOf(body: fc.Arbitrary<unknown>): fc.Arbitrary<BodyInit> {
  return fc.oneof(
    { arbitrary: body.map((value) => JSON.stringify(value) ?? ""), weight: 8 },
    { arbitrary: fc.string({ unit: "binary" }), weight: 1 },
    {
      arbitrary: body.map((value) => (JSON.stringify(value) ?? "").slice(0, -1)),
      weight: 1,
    },
    {
      arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array([0xff, ...bytes])),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom("", " ", "[".repeat(20_000), '{"a":'.repeat(5_000), "\ufeff{}"),
      weight: 1,
    },
  );
}

const contentType = fc.oneof(
  { arbitrary: fc.constant("application/json"), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      "application/json; charset=utf-8",
      "application/json; charset=iso-8859-1",
      "application/problem+json",
      "APPLICATION/JSON",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "",
    ),
    weight: 2,
  },
);

/** A header value the Fetch API accepts (Latin-1, no line breaks). */
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 300,
});

/** A query parameter value: from the schema, or any text. */
function queryValue(schema: Json, components: Json): fc.Arbitrary<string> {
  return fc.oneof(
    arbitraryOf(schema, components).map(String),
    fc.string({ unit: "binary", maxLength: 100 }),
    fc.integer().map(String),
    fc.constantFrom("", "-0", "1e2", "NaN", "Infinity", "null", "x".repeat(2_000)),
  );
}

/** Query parameters of an operation: each absent, valid or wild; sometimes repeated or extra. */
function queryOf(operation: Json, components: Json): fc.Arbitrary<string> {
  const parameters = (operation.parameters as Json[]).filter((p) => p.in === "query");
  const entries = parameters.map((p) =>
    fc.option(
      fc.array(queryValue(p.schema, components), { minLength: 1, maxLength: 2 }).map((values) =>
        values.map((value) => [p.name, value] as [string, string])
      ),
      { nil: [] },
    )
  );
  const extra = fc.option(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })), {
    nil: undefined,
  });
  return fc.tuple(fc.tuple(...entries), extra).map(([groups, more]) => {
    const search = new URLSearchParams(groups.flat());
    if (more) search.append(...more);
    const text = search.toString();
    return text ? `?${text}` : "";
  });
}

/** A path parameter: a real one, one of the right shape, or any text. */
function pathValue(real: string, schema: Json, components: Json): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(real), weight: 3 },
    { arbitrary: arbitraryOf(schema, components).map(String), weight: 2 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 60 }), weight: 2 },
    { arbitrary: fc.constantFrom("..", ".", "", "a/b", " ", "x".repeat(3_000)), weight: 1 },
  );
}

/** Whether a path value stays one segment of the template (else it reaches another route). */
function staysInSegment(value: string): boolean {
  return value !== "" && value !== "." && value !== ".." && !value.includes("/");
}

let requests = 0;

/** The property every answer must satisfy. */
function assertWellAnswered(
  contract: Contract,
  target: { method: string; template: string },
  response: ApiResponse,
) {
  requests++;
  assert.ok(
    response.status < 500,
    `${target.method} ${target.template}: ${response.status} ${response.text}`,
  );
  if (response.status >= 400) {
    assert.equal(response.headers.get("Content-Type"), "application/problem+json", response.text);
    assert.match(response.json?.type ?? "", /^https:\/\/atlas9\.dev\/problems\/[a-z-]+$/);
    assert.equal(response.json.status, response.status);
    assert.equal(typeof response.json.detail, "string");
  }
  contract.check(target.method, target.template, response);
}

Deno.test({
  name: "fuzzing every body, query, header and path parameter: no 5xx, only documented problems",
  async fn() {
    const api = await startApi();
    try {
      const document = (await api.call("GET", "/api/v1/openapi.json")).json;
      const contract = new Contract(document);
      const components = document.components.schemas;
      const owner = await signUp(api);
      const tokens = [owner.token, ...(await moreTokens(api, owner.userId, 39))];
      const project = (await api.call("POST", "/api/v1/projects", {
        token: owner.token,
        body: { directive: "a recipe sharing app for students" },
      })).json;
      await waitForGeneration(api, owner.token, project.id);
      let n = 0;
      // Spread over many tokens and client addresses so the rate limits stay out of the way.
      const next = () => {
        n++;
        return {
          token: tokens[n % tokens.length],
          ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        };
      };
      const real: Record<string, string> = { id: project.id, slug: project.slug, stage: "brand" };
      const statuses: Record<string, Record<number, number>> = {};

      // Deletions last: they remove the project (and tokens) the other operations use.
      const targets = Object.entries(document.paths as Json).flatMap(([template, methods]) =>
        Object.entries(methods as Json).map(([method, operation]) => ({
          method: method.toUpperCase(),
          template,
          operation: operation as Json,
        }))
      ).sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
      for (const target of targets) {
        const { template, operation } = target;
        const pathParams = (operation.parameters as Json[]).filter((p) => p.in === "path");
        const headerParams = (operation.parameters as Json[]).filter((p) => p.in === "header");
        const bodySchema = operation.requestBody?.content["application/json"].schema;
        const request = fc.record({
          path: fc.tuple(...pathParams.map((p) => pathValue(real[p.name], p.schema, components)))
            .map((values) => ({
              path: pathParams.reduce(
                (path, p, i) => path.replace(`{${p.name}}`, encodeURIComponent(values[i])),
                template,
              ),
              clean: values.every(staysInSegment),
            })),
          query: queryOf(operation, components),
          headers: fc.tuple(
            ...headerParams.map((p) =>
              fc.option(fc.oneof(arbitraryOf(p.schema, components).map(String), headerValue), {
                nil: undefined,
              }).map((value) => [p.name, value] as const)
            ),
          ),
          body: bodySchema ? rawBodyOf(bodyOf(bodySchema, components)) : fc.constant(undefined),
          contentType,
        });

        await fc.assert(
          fc.asyncProperty(request, async (input) => {
            const { token, ip } = next();
            const headers = new Headers();
            for (const [name, value] of input.headers) {
              if (value !== undefined) headers.set(name, value);
            }
            if (input.body !== undefined) headers.set("Content-Type", input.contentType);
            // Revoking is destructive: each run revokes a token of its own.
            const revoking = target.method === "DELETE" && template === "/api/v1/auth/token";
            const response = await api.call(target.method, input.path.path + input.query, {
              token: revoking ? (await moreTokens(api, owner.userId, 1))[0] : token,
              ip,
              headers,
              rawBody: input.body,
            });
            const tally = statuses[`${target.method} ${template}`] ??= {};
            tally[response.status] = (tally[response.status] ?? 0) + 1;
            if (input.path.clean) {
              assertWellAnswered(contract, target, response);
            } else {
              requests++;
              assert.ok(
                response.status < 500,
                `${input.path.path}: ${response.status} ${response.text}`,
              );
            }
          }),
          { numRuns: RUNS },
        );
        await api.app.services.pipeline.idle();
      }
      const authorization = fc.oneof(
        headerValue,
        headerValue.map((value) => `Bearer ${value}`),
        fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((secret) => `Bearer a9_${secret}`),
        fc.constantFrom("Bearer", "Bearer ", `bearer ${owner.token}x`, `Basic ${owner.token}`),
      );
      await fc.assert(
        fc.asyncProperty(authorization, async (value) => {
          const { ip } = next();
          const response = await api.call("GET", "/api/v1/projects", {
            ip,
            headers: { Authorization: value },
          });
          assertWellAnswered(contract, { method: "GET", template: "/api/v1/projects" }, response);
          assert.equal(response.status, 401, value);
          const tally = statuses["GET /api/v1/projects (Authorization)"] ??= {};
          tally[response.status] = (tally[response.status] ?? 0) + 1;
        }),
        { numRuns: RUNS },
      );
      console.log(`fuzz: ${requests} requests, zero 5xx. Statuses per operation:`);
      for (const [name, tally] of Object.entries(statuses)) {
        console.log(`  ${name}: ${JSON.stringify(tally)}`);
      }
    } finally {
      await api.close();
    }
  },
});
