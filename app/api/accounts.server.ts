/** Accounts for API clients: sign-up and log-in answer with a bearer token, not a cookie. */
import type { Services } from "../server/services.server.ts";
import { isDomainError } from "../http/errors.ts";
import type { User } from "../db/repositories.server.ts";
import { dummyVerify, hashPassword, verifyPassword } from "../auth/password.server.ts";
import { checkLoginThrottle, clearLoginFailures } from "../auth/login-throttle.server.ts";
import { ipRateLimitSubject } from "../http/rate-limit.server.ts";
import { DEFAULT_TOKEN_NAME, issueToken } from "./tokens.server.ts";

type AccountServices = Pick<Services, "repos" | "kv">;

/** Outcome of an API sign-up. */
export type SignUpResult =
  | { kind: "created"; user: User; token: string }
  | { kind: "email-taken" };

/** Creates an account (email and password already validated) and issues its first token. */
export async function signUpWithToken(
  input: { services: AccountServices; email: string; password: string; tokenName?: string },
): Promise<SignUpResult> {
  const { services, email } = input;
  const passwordHash = await hashPassword(input.password);
  let user: User;
  try {
    user = await services.repos.users.create({ email, passwordHash });
  } catch (error) {
    if (isDomainError(error, "EmailTakenError")) return { kind: "email-taken" };
    throw error;
  }
  const issued = await issueToken({
    services,
    userId: user.id,
    name: input.tokenName ?? DEFAULT_TOKEN_NAME,
  });
  return { kind: "created", user, token: issued.token };
}

/** Outcome of an API log-in. */
export type LogInResult =
  | { kind: "ok"; token: string }
  | { kind: "bad-credentials" }
  | { kind: "throttled"; retryAfterSeconds: number };

/** Checks a password (throttled like the login form: per IP and per account) and issues a token. */
export async function logInWithToken(
  input: {
    services: AccountServices;
    clientIp: string;
    email: string;
    password: string;
    tokenName?: string;
  },
): Promise<LogInResult> {
  const { services, email, password } = input;
  const attempt = {
    kv: services.kv,
    ipSubject: ipRateLimitSubject(input.clientIp === "unknown" ? null : input.clientIp),
    email,
  };
  const throttle = await checkLoginThrottle(attempt);
  if (!throttle.allowed) {
    return { kind: "throttled", retryAfterSeconds: throttle.retryAfterSeconds };
  }
  const user = await services.repos.users.findByEmail(email);
  const ok = user ? await verifyPassword(password, user.passwordHash) : await dummyVerify(password);
  if (!user || !ok) return { kind: "bad-credentials" };
  await clearLoginFailures(attempt);
  const issued = await issueToken({
    services,
    userId: user.id,
    name: input.tokenName ?? DEFAULT_TOKEN_NAME,
  });
  return { kind: "ok", token: issued.token };
}
