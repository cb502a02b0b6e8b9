/**
 * Limits shared by the web forms and API v1 (issue 13 item 5): one counter per limit, so a
 * client cannot double its allowance by switching surfaces.
 */
import { consume, peek } from "../kv/rate-limit.server.ts";
import type { RateLimitResult } from "../kv/rate-limit.server.ts";

const HOUR = 60 * 60_000;

/** Sign-ups per client IP (IPv6 by /64): the sign-up form and `POST /api/v1/users`. */
export const SIGNUP_LIMIT = { scope: "api-signup", limit: 10, windowMs: HOUR } as const;

/** New projects per user: the landing/dashboard form and `POST /api/v1/projects`. */
export const PROJECT_CREATE_LIMIT = { scope: "project-create", limit: 30, windowMs: HOUR } as const;

/** Takes one sign-up from an IP's allowance. */
export function takeSignup(kv: Deno.Kv, ipSubject: string): Promise<RateLimitResult> {
  return consume({ kv, subject: ipSubject, ...SIGNUP_LIMIT });
}

/**
 * Whether a user may create another project now. Only creations that start a generation
 * count (`countProjectCreated`), so a creation refused for another reason costs nothing; the
 * check and the count are apart, so a burst may pass by at most the number of creations in
 * flight, which the per-user cap of running generations (2) bounds.
 */
export function checkProjectCreate(kv: Deno.Kv, userId: string): Promise<RateLimitResult> {
  return peek({ kv, subject: userId, ...PROJECT_CREATE_LIMIT });
}

/** Counts a created project against its user's allowance. */
export async function countProjectCreated(kv: Deno.Kv, userId: string): Promise<void> {
  await consume({ kv, subject: userId, ...PROJECT_CREATE_LIMIT });
}

/** "N minutes" for a refusal message. */
export function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}
