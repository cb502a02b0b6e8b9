import { argon2id } from "hash-wasm";
import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

/** Shortest password accepted at sign-up, in characters (NIST SP 800-63B). */
export const PASSWORD_MIN_LENGTH = 8;

/** Longest password accepted, in characters; longer input is refused before hashing. */
export const PASSWORD_MAX_LENGTH = 128;

/** Argon2id cost: OWASP's minimum profile (19 MiB, 2 passes, 1 lane). */
export const ARGON2_PARAMS = {
  memorySize: 19456,
  iterations: 2,
  parallelism: 1,
  hashLength: 32,
} as const;

// A hash of random bytes nobody knows: verifying against it costs what a real check costs.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$y2S8gj8qkRDbhXzeZebIiQ$VQufXNgvqyk29dkyrx8G2SuTlD1NvRKE3QmJx4UHEAc";

const PHC =
  /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

/** Counts characters as people do (code points), so "é" or an emoji counts once. */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Whether the text is longer than the maximum, without walking a huge string. */
function isTooLong(text: string): boolean {
  // Each code point takes one or two UTF-16 units: above twice the maximum it is too long.
  if (text.length > PASSWORD_MAX_LENGTH * 2) return true;
  return characterCount(text) > PASSWORD_MAX_LENGTH;
}

/** Sign-up password rules: 8–128 characters and not a commonly used password. */
export const passwordPolicy = z.string({ error: "Enter a password" }).superRefine(
  (password, ctx) => {
    if (isTooLong(password)) {
      ctx.addIssue({ code: "custom", message: `Use at most ${PASSWORD_MAX_LENGTH} characters` });
      return;
    }
    if (characterCount(password) < PASSWORD_MIN_LENGTH) {
      ctx.addIssue({ code: "custom", message: `Use at least ${PASSWORD_MIN_LENGTH} characters` });
      return;
    }
    if (COMMON_PASSWORDS.has(password.toLowerCase())) {
      ctx.addIssue({ code: "custom", message: "This password is too common; choose another" });
    }
  },
);

/** A password typed at login: any non-empty text up to the maximum (old accounts predate rules). */
export const loginPasswordSchema = z
  .string({ error: "Enter your password" })
  .min(1, { error: "Enter your password" })
  .refine((password) => !isTooLong(password), {
    error: `Use at most ${PASSWORD_MAX_LENGTH} characters`,
  });

/** An email address as typed: trimmed, lower-cased, at most 254 characters. */
export const emailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .max(254, { error: "Use at most 254 characters" })
  .pipe(z.email({ error: "Enter a valid email address" }));

/** The bytes that are hashed: NFKC-normalised so the same typed password always matches. */
function passwordBytes(password: string): Uint8Array {
  return new TextEncoder().encode(password.normalize("NFKC"));
}

/** Hashes a password with Argon2id into a PHC string; refuses empty or over-long input. */
export async function hashPassword(password: string): Promise<string> {
  if (password === "" || isTooLong(password)) {
    throw new RangeError(`password must have 1-${PASSWORD_MAX_LENGTH} characters`);
  }
  return await argon2id({
    ...ARGON2_PARAMS,
    password: passwordBytes(password),
    salt: crypto.getRandomValues(new Uint8Array(16)),
    outputType: "encoded",
  });
}

/** Checks a password against a stored PHC hash in constant time; malformed hashes never match. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const match = PHC.exec(hash);
  if (!match || password === "" || isTooLong(password)) return false;
  const [, memory, iterations, parallelism, salt, expected] = match;
  const expectedBytes = Uint8Array.fromBase64(expected);
  const actual = await argon2id({
    password: passwordBytes(password),
    salt: Uint8Array.fromBase64(salt),
    memorySize: Number(memory),
    iterations: Number(iterations),
    parallelism: Number(parallelism),
    hashLength: expectedBytes.length,
    outputType: "binary",
  });
  return timingSafeEqual(actual, expectedBytes);
}

/** Spends the time of one password check; call it when the email is unknown. */
export async function dummyVerify(password: string): Promise<false> {
  // Same early exits as a real check (over-long input), so timing shows nothing about the account.
  await verifyPassword(password, DUMMY_HASH);
  return false;
}

/** Compares two byte arrays without an early exit on the first difference. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
