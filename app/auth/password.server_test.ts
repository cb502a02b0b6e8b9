import assert from "node:assert/strict";
import { COMMON_PASSWORDS } from "./common-passwords.ts";
import {
  dummyVerify,
  emailSchema,
  hashPassword,
  loginPasswordSchema,
  PASSWORD_MAX_LENGTH,
  passwordPolicy,
  verifyPassword,
} from "./password.server.ts";

Deno.test("hashPassword produces an Argon2id PHC string with the OWASP parameters", async () => {
  const hash = await hashPassword("correct horse battery staple");
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
});

Deno.test("hashPassword salts: the same password hashes differently twice", async () => {
  const [a, b] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
  assert.notEqual(a, b);
});

Deno.test("verifyPassword accepts the right password and refuses others", async () => {
  const hash = await hashPassword("tr0ub4dor&3-extended");
  assert.equal(await verifyPassword("tr0ub4dor&3-extended", hash), true);
  assert.equal(await verifyPassword("tr0ub4dor&3-extendeD", hash), false);
  assert.equal(await verifyPassword("", hash), false);
});

Deno.test("verifyPassword matches canonically equivalent Unicode input", async () => {
  const composed = "caf\u00e9-au-lait";
  const decomposed = "cafe\u0301-au-lait";
  const hash = await hashPassword(composed);
  assert.equal(await verifyPassword(decomposed, hash), true);
});

Deno.test("verifyPassword refuses malformed or foreign hashes", async () => {
  for (
    const hash of [
      "",
      "plain",
      "$2b$10$abcdefghijklmnopqrstuv",
      "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    ]
  ) {
    assert.equal(await verifyPassword("anything", hash), false, hash);
  }
});

Deno.test("dummyVerify takes about as long as a real check and never succeeds", async () => {
  const hash = await hashPassword("a real password here");
  const t0 = performance.now();
  await verifyPassword("wrong guess", hash);
  const real = performance.now() - t0;
  const t1 = performance.now();
  assert.equal(await dummyVerify("wrong guess"), false);
  const dummy = performance.now() - t1;
  assert.ok(dummy > real / 3 && dummy < real * 3, `real ${real} ms, dummy ${dummy} ms`);
});

Deno.test("over-long passwords are refused before any hashing work", async () => {
  const huge = "x".repeat(1_000_000);
  const t0 = performance.now();
  await assert.rejects(hashPassword(huge), RangeError);
  assert.equal(
    await verifyPassword(
      huge,
      "$argon2id$v=19$m=19456,t=2,p=1$y2S8gj8qkRDbhXzeZebIiQ$VQufXNgvqyk29dkyrx8G2SuTlD1NvRKE3QmJx4UHEAc",
    ),
    false,
  );
  assert.equal(passwordPolicy.safeParse(huge).success, false);
  // A single Argon2id run costs ~100 ms here; all three refusals together stay far below one.
  assert.ok(performance.now() - t0 < 40, `took ${performance.now() - t0} ms`);
});

const policyCases: Array<{ password: string; ok: boolean; message?: string }> = [
  { password: "", ok: false, message: "Use at least 8 characters" },
  { password: "Sh0rt!", ok: false, message: "Use at least 8 characters" },
  { password: "vlt-9-mango", ok: true },
  { password: "🦊🦊🦊🦊🦊🦊🦊", ok: false, message: "Use at least 8 characters" },
  { password: "🦊🦊🦊🦊🦊🦊🦊🦊", ok: true },
  {
    password: "a".repeat(PASSWORD_MAX_LENGTH) + "-not",
    ok: false,
    message: "Use at most 128 characters",
  },
  { password: "🦊".repeat(PASSWORD_MAX_LENGTH), ok: true },
  {
    password: "🦊".repeat(PASSWORD_MAX_LENGTH + 1),
    ok: false,
    message: "Use at most 128 characters",
  },
  { password: "password", ok: false, message: "This password is too common; choose another" },
  { password: "PassWord1", ok: false, message: "This password is too common; choose another" },
  { password: "iloveyou", ok: false, message: "This password is too common; choose another" },
  { password: "QWERTYUIOP", ok: false, message: "This password is too common; choose another" },
  { password: "1q2w3e4r5t", ok: false, message: "This password is too common; choose another" },
  { password: "quiet-lantern-orbit", ok: true },
];

for (const { password, ok, message } of policyCases) {
  Deno.test(`passwordPolicy ${ok ? "accepts" : "refuses"} ${JSON.stringify(password.slice(0, 24))}`, () => {
    const result = passwordPolicy.safeParse(password);
    assert.equal(result.success, ok);
    if (message) assert.deepEqual(result.error?.issues.map((issue) => issue.message), [message]);
  });
}

Deno.test("the common-password list is substantial and lower-case", () => {
  assert.ok(COMMON_PASSWORDS.size >= 1000, `${COMMON_PASSWORDS.size} entries`);
  const longEnough = [...COMMON_PASSWORDS].filter((p) => p.length >= 8);
  assert.ok(longEnough.length >= 400, `${longEnough.length} entries of 8+ characters`);
  assert.deepEqual([...COMMON_PASSWORDS].filter((p) => p !== p.toLowerCase()), []);
});

Deno.test("loginPasswordSchema takes any non-empty password up to the maximum", () => {
  assert.equal(loginPasswordSchema.safeParse("123").success, true);
  assert.equal(loginPasswordSchema.safeParse("").success, false);
  assert.equal(loginPasswordSchema.safeParse("x".repeat(PASSWORD_MAX_LENGTH + 1)).success, false);
});

const emailCases: Array<{ input: string; output: string | null }> = [
  { input: "  Ada@Example.COM ", output: "ada@example.com" },
  { input: "bob+tag@sub.example.org", output: "bob+tag@sub.example.org" },
  { input: "not-an-email", output: null },
  { input: "a@b", output: null },
  { input: "", output: null },
  { input: `${"a".repeat(64)}@${"b".repeat(186)}.com`, output: null },
];

for (const { input, output } of emailCases) {
  Deno.test(`emailSchema ${JSON.stringify(input.slice(0, 30))} -> ${output}`, () => {
    const result = emailSchema.safeParse(input);
    assert.equal(result.success ? result.data : null, output);
  });
}
