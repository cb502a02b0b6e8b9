import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";
import { signUpWithToken } from "../api/accounts.server.ts";
import { ipRateLimitSubject } from "../http/rate-limit.server.ts";

const signUp = endpoint(operations.signUp, async ({ body, services, context, ledger }) => {
  await ledger.take(["signup", ipRateLimitSubject(context.clientIp)]);
  const result = await signUpWithToken({ services, ...body });
  if (result.kind === "email-taken") {
    throw problem("email-taken", "An account with this email already exists. Log in instead.", {
      fields: { email: ["An account with this email already exists."] },
    });
  }
  return jsonResponse({ user: result.user, token: result.token }, { status: 201 });
});

export const { loader, action } = apiRoute(signUp);
