import { consume, refund, reset } from "../kv/rate-limit.server.ts";
import type { RateLimitWindow } from "../kv/rate-limit.server.ts";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Login attempts allowed per window: per client IP bucket, and per account (email). */
export const LOGIN_LIMITS = {
  ip: { scope: "login-ip", limit: 20, windowMs: FIFTEEN_MINUTES },
  account: { scope: "login-account", limit: 5, windowMs: FIFTEEN_MINUTES },
} as const;

/** Whether a login attempt may proceed; when not, how long to wait. */
export interface LoginThrottleResult {
  allowed: boolean;
  /** Which limit refused the attempt. */
  limitedBy: "ip" | "account" | null;
  retryAfterSeconds: number;
}

/** Who is logging in: the IP's rate-limit subject (see ipRateLimitSubject) and the typed email. */
export interface LoginAttempt {
  kv: Deno.Kv;
  ipSubject: string;
  email: string;
  now?: number;
}

/**
 * Reserves one login attempt against the IP and account limits, before the password is checked.
 * The reservation counts as a failure until `clearLoginFailures` runs after a success: counting
 * first is what keeps a burst of parallel guesses from all passing a check made before any fails.
 */
export async function checkLoginThrottle(attempt: LoginAttempt): Promise<LoginThrottleResult> {
  const ip = await consume(await windowFor(attempt, "ip"));
  if (!ip.allowed) {
    return { allowed: false, limitedBy: "ip", retryAfterSeconds: ip.retryAfterSeconds };
  }
  // A blocked IP never reaches the account counter, so it cannot lock other people out.
  const account = await consume(await windowFor(attempt, "account"));
  if (!account.allowed) {
    return { allowed: false, limitedBy: "account", retryAfterSeconds: account.retryAfterSeconds };
  }
  return { allowed: true, limitedBy: null, retryAfterSeconds: 0 };
}

/** After a successful login: forget the account's failures and give the IP its attempt back. */
export async function clearLoginFailures(attempt: LoginAttempt): Promise<void> {
  await reset(await windowFor(attempt, "account"));
  await refund(await windowFor(attempt, "ip"));
}

async function windowFor(attempt: LoginAttempt, which: "ip" | "account"): Promise<RateLimitWindow> {
  const { kv, now } = attempt;
  const subject = which === "ip" ? attempt.ipSubject : await emailSubject(attempt.email);
  return { kv, now, subject, ...LOGIN_LIMITS[which] };
}

/** Keys carry a digest of the email, not the address itself. */
async function emailSubject(email: string): Promise<string> {
  const normalised = new TextEncoder().encode(email.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", normalised));
  return digest.toHex().slice(0, 32);
}
