import { operations } from "../api/operations.ts";
import { problem } from "../api/problems.ts";
import { apiRoute, endpoint, jsonResponse } from "../api/route.server.ts";
import { logInWithToken } from "../api/accounts.server.ts";
import { revokeToken } from "../api/tokens.server.ts";

const logIn = endpoint(operations.logIn, async ({ body, services, context }) => {
  const result = await logInWithToken({ services, clientIp: context.clientIp, ...body });
  if (result.kind === "throttled") {
    throw problem("rate-limited", "Too many login attempts. Wait before trying again.", {
      headers: { "Retry-After": String(result.retryAfterSeconds) },
    });
  }
  if (result.kind === "bad-credentials") {
    throw problem("invalid-credentials", "Email or password is incorrect.");
  }
  return jsonResponse({ token: result.token });
});

const logOut = endpoint(operations.revokeToken, async ({ services, principal }) => {
  await revokeToken({ services, userId: principal.userId, id: principal.tokenId });
  return new Response(null, { status: 204 });
});

export const { loader, action } = apiRoute(logIn, logOut);
