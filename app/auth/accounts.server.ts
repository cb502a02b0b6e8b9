import { z } from "zod";
import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import type { Services } from "../server/services.server.ts";
import { ipRateLimitSubject } from "../http/rate-limit.server.ts";
import { safeRedirect } from "../http/auth.server.ts";
import { minutesText, takeSignup } from "../http/abuse-limits.server.ts";
import { isDomainError } from "../http/errors.ts";
import { checkLoginThrottle, clearLoginFailures } from "./login-throttle.server.ts";
import {
  dummyVerify,
  emailSchema,
  hashPassword,
  loginPasswordSchema,
  passwordPolicy,
  verifyPassword,
} from "./password.server.ts";

const signupSchema = z.object({
  email: emailSchema,
  password: passwordPolicy,
  directive: z.string().optional(),
});

const loginSchema = z.object({
  email: emailSchema,
  password: loginPasswordSchema,
  redirectTo: z.string().optional(),
});

/** The one answer for an unknown email and a wrong password alike. */
export const BAD_CREDENTIALS = "Email or password is incorrect.";

/** Outcome of a sign-up or log-in form. */
export type AccountResult =
  | { kind: "invalid"; status: number; reply: SubmissionResult<string[]>; headers?: HeadersInit }
  | { kind: "ok"; cookie: string; redirectTo: string };

/** Outcome of the sign-up form: on success, the new account and the directive it carried. */
export type SignUpResult =
  | Extract<AccountResult, { kind: "invalid" }>
  | { kind: "ok"; cookie: string; userId: string; directive?: string };

interface AccountContext {
  services: Services;
  https: boolean;
  clientIp: string;
}

/** Creates an account from the sign-up form and signs it in. */
export async function signUp(form: FormData, ctx: AccountContext): Promise<SignUpResult> {
  const submission = parseWithZod(form, { schema: signupSchema });
  if (submission.status !== "success") {
    return { kind: "invalid", status: 400, reply: submission.reply({ hideFields: ["password"] }) };
  }
  const { email, password, directive } = submission.value;
  // The API's sign-up limit, on the same counter (before the costly Argon2 hash).
  const allowance = await takeSignup(ctx.services.kv, ipRateLimitSubject(ctx.clientIp));
  if (!allowance.allowed) {
    return {
      kind: "invalid",
      status: 429,
      headers: { "Retry-After": String(allowance.retryAfterSeconds) },
      reply: submission.reply({
        formErrors: [
          `Too many sign-ups from your network. Try again in ${
            minutesText(allowance.retryAfterSeconds)
          }.`,
        ],
        hideFields: ["password"],
      }),
    };
  }
  const passwordHash = await hashPassword(password);
  let userId: string;
  try {
    userId = (await ctx.services.repos.users.create({ email, passwordHash })).id;
  } catch (error) {
    if (!isDomainError(error, "EmailTakenError")) throw error;
    return {
      kind: "invalid",
      status: 400,
      reply: submission.reply({
        fieldErrors: { email: ["An account with this email already exists. Log in instead."] },
        hideFields: ["password"],
      }),
    };
  }
  const { cookie } = await ctx.services.sessions.create(userId, { secure: ctx.https });
  return { kind: "ok", cookie, userId, directive };
}

/** Checks the log-in form (throttled per IP and per account) and starts a fresh session. */
export async function logIn(
  form: FormData,
  ctx: AccountContext & { previous: Request },
): Promise<AccountResult> {
  const submission = parseWithZod(form, { schema: loginSchema });
  if (submission.status !== "success") {
    return { kind: "invalid", status: 400, reply: submission.reply({ hideFields: ["password"] }) };
  }
  const { email, password, redirectTo } = submission.value;
  const attempt = { kv: ctx.services.kv, ipSubject: ipRateLimitSubject(ctx.clientIp), email };
  const throttle = await checkLoginThrottle(attempt);
  if (!throttle.allowed) {
    const minutes = Math.max(1, Math.ceil(throttle.retryAfterSeconds / 60));
    return {
      kind: "invalid",
      status: 429,
      headers: { "Retry-After": String(throttle.retryAfterSeconds) },
      reply: submission.reply({
        formErrors: [
          `Too many login attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        ],
        hideFields: ["password"],
      }),
    };
  }
  const user = await ctx.services.repos.users.findByEmail(email);
  const ok = user ? await verifyPassword(password, user.passwordHash) : await dummyVerify(password);
  if (!user || !ok) {
    return {
      kind: "invalid",
      status: 400,
      reply: submission.reply({ formErrors: [BAD_CREDENTIALS], hideFields: ["password"] }),
    };
  }
  await clearLoginFailures(attempt);
  const { cookie } = await ctx.services.sessions.create(user.id, {
    secure: ctx.https,
    replacing: ctx.previous,
  });
  return { kind: "ok", cookie, redirectTo: safeRedirect(redirectTo) };
}
