import { z } from "zod";
import type { ApiToken } from "../db/repositories.server.ts";
import type { Services } from "../server/services.server.ts";

/** Every token starts with this, so leaked tokens are easy to recognise (secret scanners). */
export const TOKEN_PREFIX = "a9_";

/** How many leading characters of a token are kept in clear to tell tokens apart. */
export const VISIBLE_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;

/** `a9_` + 256 random bits in base64url (43 characters). */
const TOKEN_PATTERN = /^a9_[A-Za-z0-9_-]{43}$/;

/** A token's name, as typed in settings or sent by a mobile client. */
export const tokenNameSchema = z.string().trim().min(1, { error: "Give the token a name." })
  .max(60, { error: "Use at most 60 characters." })
  .regex(/^\P{Cc}*$/u, { error: "Control characters are not allowed." });

/** Name of the tokens that sign-up and log-in issue when the client names none. */
export const DEFAULT_TOKEN_NAME = "Mobile app";

/** A token as listed in settings: never the secret, only its visible prefix. */
export interface TokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** A freshly issued token: `token` is the secret, shown to its owner once and never stored. */
export interface IssuedToken {
  token: string;
  summary: TokenSummary;
}

type TokenServices = Pick<Services, "repos">;

/** Whether a string has the shape of an Atlas9 token (checked before any lookup). */
export function isTokenShaped(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** SHA-256 hex of a token: what the database keeps and looks tokens up by. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return new Uint8Array(digest).toHex();
}

/** A new random token secret. */
export function generateToken(): string {
  const secret = crypto.getRandomValues(new Uint8Array(32));
  return TOKEN_PREFIX + secret.toBase64({ alphabet: "base64url", omitPadding: true });
}

/** Creates an API token for a user; the secret in the result is the only copy. */
export async function issueToken(
  input: { services: TokenServices; userId: string; name: string },
): Promise<IssuedToken> {
  const name = tokenNameSchema.parse(input.name);
  const token = generateToken();
  const row = await input.services.repos.tokens.create({
    userId: input.userId,
    name,
    prefix: token.slice(0, VISIBLE_PREFIX_LENGTH),
    tokenHash: await hashToken(token),
  });
  return { token, summary: toSummary(row) };
}

/** A user's active tokens with their last use, newest first. */
export async function listTokens(
  input: { services: TokenServices; userId: string },
): Promise<TokenSummary[]> {
  const rows = await input.services.repos.tokens.list(input.userId);
  return rows.map(toSummary);
}

/** Revokes one of the user's tokens; false when the user has no such active token. */
export async function revokeToken(
  input: { services: TokenServices; userId: string; id: string },
): Promise<boolean> {
  return await input.services.repos.tokens.revoke({ id: input.id, userId: input.userId });
}

function toSummary(row: ApiToken): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}
