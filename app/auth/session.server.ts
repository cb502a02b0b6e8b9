import { join } from "node:path";
import { z } from "zod";
import type { Env } from "../config/env.server.ts";
import { sessionKey, sessionSecretKey } from "../kv/keys.ts";
import { readEntry, readValue } from "../kv/values.server.ts";

/** Name of the session cookie over plain http (and of every session cookie before decision 013). */
export const SESSION_COOKIE_NAME = "__session";

/**
 * Name of the session cookie over https: the `__Host-` prefix makes browsers refuse it unless
 * it is Secure, host-only and Path=/, so a sibling subdomain cannot plant or shadow it.
 */
export const SECURE_SESSION_COOKIE_NAME = "__Host-session";

/**
 * Every name a session cookie may have, the preferred first. `__session` stays readable over
 * https for a migration window (a session lives at most 30 days; decision 013): anything that
 * asks "is this request signed in?" must look for all of them.
 */
export const SESSION_COOKIE_NAMES = [SECURE_SESSION_COOKIE_NAME, SESSION_COOKIE_NAME] as const;

/** A session unused this long is over. */
export const SESSION_IDLE_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;

/** A session is over this long after login, however active. */
export const SESSION_ABSOLUTE_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;

/** `lastSeenAt` is written at most this often, so reads do not cost a KV write each. */
export const SESSION_TOUCH_INTERVAL_MS = 5 * 60 * 1000;

const sessionValueSchema = z.object({
  userId: z.string().min(1),
  createdAt: z.number().int(),
  lastSeenAt: z.number().int(),
  absoluteExpiresAt: z.number().int(),
});

/** What KV holds per session; expiry is decided from these times, not from `expireIn`. */
export type SessionValue = z.infer<typeof sessionValueSchema>;

/** A live session. */
export interface Session extends SessionValue {
  id: string;
}

/** A new session and the `Set-Cookie` value that hands it to the browser. */
export interface IssuedSession {
  id: string;
  cookie: string;
}

/** Cookie attributes that depend on the request. */
export interface CookieOptions {
  /** Add `Secure`: true when the site is served over https. */
  secure: boolean;
}

/** Sessions kept in Deno KV behind an HMAC-signed cookie. */
export interface SessionStore {
  /** Starts a new session for a user who just logged in; a session on `replacing` is deleted. */
  create(userId: string, options: CookieOptions & { replacing?: Request }): Promise<IssuedSession>;
  /** The live session named by the request's cookie, or null. */
  get(request: Request): Promise<{ session: Session; userId: string } | null>;
  /** Deletes the request's session; returns the `Set-Cookie` value that clears the cookie. */
  destroy(request: Request, options: CookieOptions): Promise<string>;
  /** Moves a live session to a new id (same user and absolute expiry); null when none is live. */
  rotate(request: Request, options: CookieOptions): Promise<IssuedSession | null>;
}

/** Dependencies and timing of a session store. */
export interface SessionStoreOptions {
  kv: Deno.Kv;
  secret: string;
  now?: () => number;
  idleTimeoutMs?: number;
  absoluteTimeoutMs?: number;
  touchIntervalMs?: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const BASE64URL = { alphabet: "base64url", omitPadding: true } as const;

/** Builds the session store used by loaders, actions and API guards. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { kv } = options;
  const now = options.now ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? SESSION_IDLE_TIMEOUT_MS;
  const absoluteTimeoutMs = options.absoluteTimeoutMs ?? SESSION_ABSOLUTE_TIMEOUT_MS;
  const touchIntervalMs = options.touchIntervalMs ?? SESSION_TOUCH_INTERVAL_MS;
  const signingKey = importHmacKey(options.secret);

  const cookieFor = async (id: string, secure: boolean) => {
    const signature = new Uint8Array(
      await crypto.subtle.sign("HMAC", await signingKey, new TextEncoder().encode(id)),
    ).toBase64(BASE64URL);
    const maxAge = Math.floor(absoluteTimeoutMs / 1000);
    return serializeCookie(`${id}.${signature}`, { maxAge, secure });
  };

  /** The session id of a cookie whose signature is valid; tampering is caught before any KV read. */
  const verifiedId = async (request: Request): Promise<string | null> => {
    const header = request.headers.get("cookie");
    const raw = readCookie(header, SECURE_SESSION_COOKIE_NAME) ??
      readCookie(header, SESSION_COOKIE_NAME);
    if (raw === null) return null;
    const [id, signature, extra] = raw.split(".");
    if (extra !== undefined || !SESSION_ID.test(id ?? "") || !SIGNATURE.test(signature ?? "")) {
      return null;
    }
    // subtle.verify compares in constant time.
    const valid = await crypto.subtle.verify(
      "HMAC",
      await signingKey,
      Uint8Array.fromBase64(signature, BASE64URL),
      new TextEncoder().encode(id),
    );
    return valid ? id : null;
  };

  const remainingLife = (value: SessionValue, at: number) =>
    Math.min(value.lastSeenAt + idleTimeoutMs, value.absoluteExpiresAt) - at;

  const issue = async (value: SessionValue, secure: boolean, replacedId: string | null) => {
    const id = crypto.getRandomValues(new Uint8Array(32)).toBase64(BASE64URL);
    const op = kv.atomic()
      .check({ key: sessionKey(id), versionstamp: null })
      .set(sessionKey(id), value, { expireIn: remainingLife(value, value.lastSeenAt) });
    if (replacedId !== null) op.delete(sessionKey(replacedId));
    const result = await op.commit();
    if (!result.ok) throw new Error("session id collision");
    return { id, cookie: await cookieFor(id, secure) };
  };

  const load = async (request: Request) => {
    const id = await verifiedId(request);
    if (id === null) return null;
    const entry = await readEntry(kv, sessionKey(id), sessionValueSchema);
    if (entry.value === null) return null;
    const at = now();
    if (remainingLife(entry.value, at) <= 0) {
      // expireIn only guarantees deletion *after* a time; the value's times decide.
      await kv.delete(sessionKey(id));
      return null;
    }
    return { id, value: entry.value, versionstamp: entry.versionstamp!, at };
  };

  return {
    async create(userId, { secure, replacing }) {
      const at = now();
      const replacedId = replacing ? await verifiedId(replacing) : null;
      return await issue(
        { userId, createdAt: at, lastSeenAt: at, absoluteExpiresAt: at + absoluteTimeoutMs },
        secure,
        replacedId,
      );
    },

    async get(request) {
      const loaded = await load(request);
      if (loaded === null) return null;
      const { id, at, versionstamp } = loaded;
      let value = loaded.value;
      if (at - value.lastSeenAt >= touchIntervalMs) {
        value = { ...value, lastSeenAt: at };
        // The check keeps a concurrent logout from being undone by this refresh.
        await kv.atomic()
          .check({ key: sessionKey(id), versionstamp })
          .set(sessionKey(id), value, { expireIn: remainingLife(value, at) })
          .commit();
      }
      return { session: { id, ...value }, userId: value.userId };
    },

    async destroy(request, { secure }) {
      const id = await verifiedId(request);
      if (id !== null) await kv.delete(sessionKey(id));
      return serializeCookie("", { maxAge: 0, secure });
    },

    async rotate(request, { secure }) {
      const loaded = await load(request);
      if (loaded === null) return null;
      return await issue({ ...loaded.value, lastSeenAt: loaded.at }, secure, loaded.id);
    },
  };
}

/** The cookie-signing secret: SESSION_SECRET, else one generated once and kept for later starts. */
export async function resolveSessionSecret(options: {
  env: Pick<Env, "sessionSecret" | "dataDir" | "kvPath" | "denoDeploymentId">;
  kv: Deno.Kv;
  dataDir?: string;
}): Promise<string> {
  const { env, kv } = options;
  if (env.sessionSecret !== undefined) return env.sessionSecret;
  // Instances sharing a KV (Deno Deploy, KV Connect) have no shared disk: they share the secret in KV.
  const sharedKv = env.denoDeploymentId !== undefined || /^https?:\/\//i.test(env.kvPath ?? "");
  if (sharedKv) return await secretInKv(kv);
  return await secretInFile(join(options.dataDir ?? env.dataDir, "session-secret"));
}

const storedSecretSchema = z.string().min(32);

async function secretInKv(kv: Deno.Kv): Promise<string> {
  const existing = await readValue(kv, sessionSecretKey(), storedSecretSchema);
  if (existing !== null) return existing;
  const fresh = generateSecret();
  const claimed = await kv.atomic().check({ key: sessionSecretKey(), versionstamp: null })
    .set(sessionSecretKey(), fresh).commit();
  if (claimed.ok) return fresh;
  // Another instance won the race: use its secret.
  const winner = await readValue(kv, sessionSecretKey(), storedSecretSchema);
  if (winner === null) throw new Error("session secret in KV is missing or invalid");
  return winner;
}

async function secretInFile(path: string): Promise<string> {
  const existing = await readSecretFile(path);
  if (existing !== null) return existing;
  await Deno.mkdir(join(path, ".."), { recursive: true });
  // Write a private temp file, then hard-link it into place: the secret file appears complete or not at all.
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, generateSecret() + "\n", { createNew: true, mode: 0o600 });
  try {
    await Deno.link(temp, path);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  } finally {
    await Deno.remove(temp);
  }
  const secret = await readSecretFile(path);
  if (secret === null) throw new Error(`${path}: session secret file vanished`);
  return secret;
}

async function readSecretFile(path: string): Promise<string | null> {
  try {
    const secret = (await Deno.readTextFile(path)).trim();
    if (secret.length < 32) throw new Error(`${path}: expected a secret of at least 32 characters`);
    return secret;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function generateSecret(): string {
  return crypto.getRandomValues(new Uint8Array(32)).toBase64(BASE64URL);
}

async function importHmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function serializeCookie(value: string, options: { maxAge: number; secure: boolean }): string {
  const name = options.secure ? SECURE_SESSION_COOKIE_NAME : SESSION_COOKIE_NAME;
  const parts = [
    `${name}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${options.maxAge}`,
  ];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Whether the request names a session (valid or not), read exactly as `SessionStore.get` reads
 * it: the one test of "signed in" for caches, so no spelling of the cookie passes as anonymous.
 */
export function hasSessionCookie(request: Request): boolean {
  const header = request.headers.get("cookie");
  // Every name the store reads (`__Host-session` over https, `__session`; decision 013).
  return SESSION_COOKIE_NAMES.some((name) => readCookie(header, name) !== null);
}

/** The value of one cookie from a `Cookie` header, or null. */
function readCookie(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const pair of header.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1) continue;
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return null;
}
