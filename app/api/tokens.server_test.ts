import assert from "node:assert/strict";
import { generateToken, hashToken, isTokenShaped, tokenNameSchema } from "./tokens.server.ts";
import { bearerToken } from "./auth.server.ts";
import { HttpError } from "../http/errors.ts";

Deno.test("generateToken: a9_ and 256 random bits, never repeated", () => {
  const tokens = new Set(Array.from({ length: 1000 }, generateToken));
  assert.equal(tokens.size, 1000);
  for (const token of tokens) {
    assert.ok(isTokenShaped(token), token);
    const secret = Uint8Array.fromBase64(token.slice(3), { alphabet: "base64url" });
    assert.equal(secret.length, 32);
  }
});

Deno.test("hashToken: SHA-256 hex, what the database stores instead of the token", async () => {
  assert.equal(
    await hashToken("a9_test"),
    "9036aa2a9e55c18ad62cea69f00b07baae24289393ce831520e010021f6c8171",
  );
  assert.match(await hashToken(generateToken()), /^[0-9a-f]{64}$/);
  assert.notEqual(await hashToken("a9_a"), await hashToken("a9_b"));
});

Deno.test("isTokenShaped: refuses anything else before a lookup", () => {
  for (const value of ["", "a9_", "a9_short", `b9_${"a".repeat(43)}`, `a9_${"a".repeat(44)}`]) {
    assert.equal(isTokenShaped(value), false, value);
  }
});

Deno.test("tokenNameSchema: trimmed, 1-60 characters, no control characters", () => {
  assert.equal(tokenNameSchema.parse("  Pixel 9  "), "Pixel 9");
  for (const bad of ["", "   ", "x".repeat(61), "a\u0000b", "tab\there"]) {
    assert.equal(tokenNameSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

Deno.test("bearerToken: the Authorization header only, cookies never count", () => {
  const at = (headers: HeadersInit) => new Request("http://x/", { headers });
  assert.equal(bearerToken(at({})), null);
  assert.equal(bearerToken(at({ Cookie: "__session=abc" })), null);
  assert.equal(bearerToken(at({ Authorization: "Bearer a9_x" })), "a9_x");
  assert.equal(bearerToken(at({ Authorization: "bearer  a9_x " })), "a9_x");
  for (const bad of ["Basic abc", "Bearer", "Bearer a b", "Token a9_x"]) {
    assert.throws(() => bearerToken(at({ Authorization: bad })), HttpError, bad);
  }
});
