import type { Services } from "../server/services.server.ts";
import { problem } from "./problems.ts";
import { hashToken, isTokenShaped } from "./tokens.server.ts";

/** Who is calling: the token's owner and the token itself. */
export interface Principal {
  userId: string;
  tokenId: string;
}

// The repository also throttles the write; checking here saves the query on most requests.
const TOUCH_INTERVAL_MS = 60_000;

/** When this process last recorded each token's use, so a burst of requests touches once. */
const touchedAt = new Map<string, number>();
const MAX_TRACKED_TOKENS = 10_000;

const REALM = 'Bearer realm="atlas9"';

/** The bearer token of a request, or null when it carries none (cookies never count). */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("Authorization");
  if (header === null) return null;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) {
    throw problem("unauthorized", "Send the token as `Authorization: Bearer <token>`.", {
      headers: { "WWW-Authenticate": `${REALM}, error="invalid_request"` },
    });
  }
  return match[1];
}

/** The caller of an API request; 401 without a live token. */
export async function authenticate(
  request: Request,
  services: Pick<Services, "repos">,
): Promise<Principal> {
  const token = bearerToken(request);
  if (token === null) {
    throw problem("unauthorized", "This endpoint needs `Authorization: Bearer <token>`.", {
      headers: { "WWW-Authenticate": REALM },
    });
  }
  const found = isTokenShaped(token)
    ? await services.repos.tokens.findActiveByHash(await hashToken(token))
    : null;
  if (!found) {
    throw problem("invalid-token", "The token is unknown or was revoked. Log in again.", {
      headers: { "WWW-Authenticate": `${REALM}, error="invalid_token"` },
    });
  }
  const { token: row } = found;
  const lastUsed = Math.max(
    row.lastUsedAt === null ? 0 : Date.parse(row.lastUsedAt),
    touchedAt.get(row.id) ?? 0,
  );
  if (Date.now() - lastUsed > TOUCH_INTERVAL_MS) {
    if (touchedAt.size >= MAX_TRACKED_TOKENS) touchedAt.clear();
    touchedAt.set(row.id, Date.now());
    await services.repos.tokens.touch(row.id);
  }
  return { userId: row.userId, tokenId: row.id };
}
