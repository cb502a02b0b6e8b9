/**
 * Edge page store (decision 015): anonymous responses of public pages, the landing page and the
 * public API kept in KV as ready bytes (identity, gzip, brotli) with one ETag per encoding. A hit
 * is one KV read and a write of bytes; a miss renders once per instance (single flight) and
 * stores under a check of the scope's stamp, so a render that raced a change is never kept.
 * Every change to a public project bumps the stamp and removes the entries in one atomic op.
 */
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { z } from "zod";
import { ifNoneMatchMatches } from "../../http/etag.server.ts";
import { hashedContentSecurityPolicy } from "../../http/security.server.ts";
import { edgeChunkKey, edgeEntryKey, edgeStampKey } from "../../kv/keys.ts";
import type { ServerTiming } from "../../http/timing.ts";
import { type Encoding, ENCODINGS, negotiate } from "../../http/compress.server.ts";
import { fixedResponse } from "../../http/fixed.server.ts";
import { createStamps } from "./stamps.server.ts";

/** What an edge-served URL stores: HTML pages or API JSON. */
const VARIANTS = ["html", "json"] as const;
type Variant = (typeof VARIANTS)[number];

/** The scope of the landing page (it lists public projects). */
export const LANDING_SCOPE = "landing";

/** The scope of one public project: its page and its public API resource. */
export const projectScope = (slug: string) => `p:${slug}`;

/** The CDN cache tag (`Deno-Cache-Tag`) of a scope; purged with it. */
export const cacheTagOf = (scope: string) => scope.replace(":", "-");

/**
 * Shared caches keep public answers 5 minutes (docs/architecture.md §8) and may serve them stale for one
 * more minute while revalidating: short, because a purge can be missed (issue 14.5).
 */
export const PUBLIC_CACHE_CONTROL = "public, s-maxage=300, stale-while-revalidate=60";

/** Bytes kept inline in an entry; larger bodies go to chunks (KV values are ≤ 64 KiB). */
const INLINE_BYTES = 60_000;
// getMany reads at most 10 keys at a time.
const MAX_KEYS_PER_READ = 10;
/** KV keeps entries at least this long; a change removes them sooner. */
const ENTRY_TTL_MS = 24 * 60 * 60 * 1000;
/** Response headers a stored copy keeps (the rest are per response or recomputed). */
const KEPT_HEADERS = ["content-type", "cache-control", "vary", "deno-cache-tag"];

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

const entrySchema = z.object({
  stamp: z.string(),
  contentId: z.string().min(1),
  headers: z.array(z.tuple([z.string(), z.string()])),
  etag: z.string().min(3),
  size: z.number().int().nonnegative(),
  chunks: z.number().int().nonnegative(),
  body: z.instanceof(Uint8Array).optional(),
});
type Entry = z.infer<typeof entrySchema>;
/** One stored answer in every encoding. */
type Stored = Record<Encoding, Entry>;

const stampSchema = z.string();

/** An edge-served URL of one request. */
export interface EdgeTarget {
  scope: string;
  variant: Variant;
}

/**
 * The anonymous, query-less GET or HEAD of an edge-served URL; null for everything else.
 * `credentials`: the request carries a session cookie or a bearer token (the handler checks
 * once per request).
 */
export function edgeTarget(request: Request, url: URL, credentials: boolean): EdgeTarget | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  if (credentials) return null;
  if (url.search !== "") return null;
  if (url.pathname === "/") return { scope: LANDING_SCOPE, variant: "html" };
  const page = /^\/p\/([^/]+)$/.exec(url.pathname)?.[1];
  if (page && SLUG.test(page)) return { scope: projectScope(page), variant: "html" };
  const api = /^\/api\/v1\/public\/projects\/([^/]+)$/.exec(url.pathname)?.[1];
  // A cross-origin caller needs the CORS answer of its origin: rendered per request.
  if (api && SLUG.test(api) && !request.headers.has("Origin")) {
    return { scope: projectScope(api), variant: "json" };
  }
  return null;
}

/** Tells shared caches in front (Deno Deploy's CDN) to drop responses with these tags. */
export type PurgeCache = (tags: string[]) => Promise<void>;

/**
 * The purge of Deno Deploy's CDN: `POST {tags}` to its invalidation endpoint. Failures are logged,
 * not thrown: the short s-maxage bounds what a missed purge leaves behind.
 */
export function createCachePurge(options: { url?: string }): PurgeCache {
  const { url } = options;
  return async (tags) => {
    if (!url || tags.length === 0) return;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ tags }),
      });
      await response.body?.cancel();
      if (!response.ok) console.error(`cache purge answered ${response.status}`);
    } catch (error) {
      console.error("cache purge:", error);
    }
  };
}

/** One encoding of a stored answer as this instance sends it. */
interface ReadyEncoding {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  /** Headers of a 200 (with ETag and Content-Encoding). */
  headers: [string, string][];
  /** Headers of a 304 (with ETag). */
  notModified: [string, string][];
}

/** A stored answer in every encoding, kept in this instance's memory under its stamp. */
interface Ready {
  stamp: string;
  /** When it was taken from KV or rendered (performance.now()). */
  at: number;
  bytes: number;
  encodings: Record<Encoding, ReadyEncoding>;
}

/** Bytes of stored answers one instance keeps in memory (least recently used go first). */
const MEMORY_BYTES = 32 * 1024 * 1024;
/**
 * How long a copy in memory may be served under an unchanged stamp. Well under the stamps'
 * lifetime in KV (48 h), so a stamp that expired and reads "" again can never vouch for a copy
 * taken before it was bumped.
 */
const MEMORY_MAX_AGE_MS = 60 * 60 * 1000;

/** The edge page store of one process (the single flight is per process; the bytes are shared). */
export function createPageStore(deps: { kv: Deno.Kv; purge: PurgeCache }) {
  const { kv } = deps;
  const stamps = createStamps({ kv, watched: [LANDING_SCOPE] });
  const inFlight = new Map<string, Promise<Ready | null>>();
  const memory = new Map<string, Ready>();
  let memoryBytes = 0;

  const memoryKey = (target: EdgeTarget) => `${target.scope}\u0000${target.variant}`;

  function forget(key: string): void {
    const ready = memory.get(key);
    if (!ready) return;
    memory.delete(key);
    memoryBytes -= ready.bytes;
  }

  function remember(key: string, ready: Ready): void {
    forget(key);
    memory.set(key, ready);
    memoryBytes += ready.bytes;
    for (const oldest of memory.keys()) {
      if (memoryBytes <= MEMORY_BYTES || memory.size <= 1) break;
      forget(oldest);
    }
  }

  function readyOf(stored: Stored, bodies: Record<Encoding, Uint8Array<ArrayBuffer>>): Ready {
    const encodings = {} as Record<Encoding, ReadyEncoding>;
    let bytes = 0;
    for (const encoding of ENCODINGS) {
      const entry = stored[encoding];
      const notModified: [string, string][] = [...entry.headers, ["etag", entry.etag]];
      const headers: [string, string][] = encoding === "identity"
        ? notModified
        : [...notModified, ["content-encoding", encoding]];
      encodings[encoding] = { body: bodies[encoding], etag: entry.etag, headers, notModified };
      bytes += bodies[encoding].byteLength;
    }
    return { stamp: stored.identity.stamp, at: performance.now(), bytes, encodings };
  }

  function respond(request: Request, ready: Ready, encoding: Encoding): Response {
    const answer = ready.encodings[encoding];
    if (ifNoneMatchMatches(request.headers.get("If-None-Match"), answer.etag)) {
      return new Response(null, { status: 304, headers: answer.notModified });
    }
    if (request.method === "HEAD") {
      return new Response(null, {
        status: 200,
        headers: [...answer.headers, ["content-length", String(answer.body.byteLength)]],
      });
    }
    return fixedResponse(answer.body, 200, answer.headers);
  }

  /** The stored answer in every encoding from KV (one read, one more for large bodies). */
  async function load(target: EdgeTarget): Promise<Ready | null> {
    const raw = await kv.getMany(
      ENCODINGS.map((encoding) => edgeEntryKey(target.scope, target.variant, encoding)),
    );
    const stored = {} as Stored;
    for (const [i, encoding] of ENCODINGS.entries()) {
      const parsed = entrySchema.safeParse(raw[i].value);
      if (raw[i].versionstamp === null || !parsed.success) return null;
      stored[encoding] = parsed.data;
    }
    // Written (and removed) in one atomic commit: one write's entries, or none.
    if (ENCODINGS.some((encoding) => stored[encoding].contentId !== stored.identity.contentId)) {
      return null;
    }
    const chunked = ENCODINGS.flatMap((encoding) =>
      Array.from(
        { length: stored[encoding].body ? 0 : stored[encoding].chunks },
        (_, i) => ({
          encoding,
          key: edgeChunkKey(target.scope, target.variant, encoding, stored.identity.contentId, i),
        }),
      )
    );
    const parts = new Map<Encoding, Uint8Array[]>();
    for (let i = 0; i < chunked.length; i += MAX_KEYS_PER_READ) {
      const slice = chunked.slice(i, i + MAX_KEYS_PER_READ);
      const values = await kv.getMany(slice.map((chunk) => chunk.key));
      for (const [j, chunk] of values.entries()) {
        if (!(chunk.value instanceof Uint8Array)) return null;
        const list = parts.get(slice[j].encoding) ?? [];
        list.push(chunk.value);
        parts.set(slice[j].encoding, list);
      }
    }
    const bodies = {} as Record<Encoding, Uint8Array<ArrayBuffer>>;
    for (const encoding of ENCODINGS) {
      const entry = stored[encoding];
      if (entry.body) {
        bodies[encoding] = new Uint8Array(entry.body);
        continue;
      }
      const body = new Uint8Array(entry.size);
      let offset = 0;
      for (const part of parts.get(encoding) ?? []) {
        if (offset + part.byteLength > entry.size) return null;
        body.set(part, offset);
        offset += part.byteLength;
      }
      if (offset !== entry.size) return null;
      bodies[encoding] = body;
    }
    return readyOf(stored, bodies);
  }

  /** Renders, and stores when the answer is a public 200 and no change raced the render. */
  async function renderAndStore(
    target: EdgeTarget,
    render: () => Promise<Response>,
    leader: { response?: Response },
  ): Promise<Ready | null> {
    const stamp = await kv.get(edgeStampKey(target.scope));
    const stampValue = stampSchema.safeParse(stamp.value).data ?? "";
    const response = await render();
    const cacheControl = response.headers.get("Cache-Control") ?? "";
    const storable = response.status === 200 && /\bpublic\b/.test(cacheControl) &&
      !response.headers.has("Set-Cookie") && !response.headers.has("Content-Encoding") &&
      response.body !== null;
    if (!storable) {
      leader.response = response;
      return null;
    }
    const identity = new Uint8Array(await response.arrayBuffer());
    const headers: [string, string][] = [];
    for (const [name, value] of response.headers) {
      if (KEPT_HEADERS.includes(name)) headers.push([name, value]);
    }
    // Served in the encoding each request accepts, whatever the render said.
    const vary = headers.find(([name]) => name === "vary");
    if (!vary) headers.push(["vary", "Accept-Encoding"]);
    else if (!/accept-encoding/i.test(vary[1])) vary[1] += ", Accept-Encoding";
    if (target.variant === "html") {
      headers.push([
        "content-security-policy",
        await hashedContentSecurityPolicy(new TextDecoder().decode(identity)),
      ]);
    }
    const bodies: Record<Encoding, Uint8Array<ArrayBuffer>> = {
      identity,
      gzip: new Uint8Array(gzipSync(identity, { level: 9 })),
      br: new Uint8Array(brotliCompressSync(identity, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 10,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.byteLength,
        },
      })),
    };
    const hash = await bytesHash(identity);
    const contentId = crypto.randomUUID();
    const entries = {} as Stored;
    // Chunks first, under their own content id: invisible until an entry names them.
    for (const encoding of ENCODINGS) {
      const body = bodies[encoding];
      const suffix = encoding === "identity" ? "" : `-${encoding === "gzip" ? "gz" : "br"}`;
      const entry: Entry = {
        stamp: stampValue,
        contentId,
        headers,
        etag: `"${hash}${suffix}"`,
        size: body.byteLength,
        chunks: 0,
      };
      if (body.byteLength <= INLINE_BYTES) {
        entry.body = body;
      } else {
        entry.chunks = Math.ceil(body.byteLength / INLINE_BYTES);
        for (let i = 0; i < entry.chunks; i++) {
          await kv.set(
            edgeChunkKey(target.scope, target.variant, encoding, contentId, i),
            body.subarray(i * INLINE_BYTES, (i + 1) * INLINE_BYTES),
            { expireIn: ENTRY_TTL_MS },
          );
        }
      }
      entries[encoding] = entry;
    }
    const op = kv.atomic().check({
      key: edgeStampKey(target.scope),
      versionstamp: stamp.versionstamp,
    });
    for (const encoding of ENCODINGS) {
      op.set(edgeEntryKey(target.scope, target.variant, encoding), entries[encoding], {
        expireIn: ENTRY_TTL_MS,
      });
    }
    if ((await op.commit()).ok) return readyOf(entries, bodies);
    // A change landed during the render: its requester gets it, nobody else, nothing is kept.
    leader.response = new Response(identity, { status: 200, headers: response.headers });
    return null;
  }

  return {
    /**
     * The stored answer for an edge-served request: from this instance's memory while the
     * scope's stamp is unchanged, else from KV, else rendered and stored (one load or render
     * per instance and stamp however many requests miss at once).
     */
    async serve(
      request: Request,
      options: { target: EdgeTarget; timing: ServerTiming; render: () => Promise<Response> },
    ): Promise<Response> {
      const { target, timing } = options;
      const encoding = negotiate(request.headers.get("Accept-Encoding"));
      const key = memoryKey(target);
      const known = stamps.current(target.scope);
      const stamp = typeof known === "string"
        ? known
        : await timing.time("kv", () => known).catch(() => null);
      const kept = memory.get(key);
      if (kept && stamp !== null && kept.stamp === stamp) {
        if (performance.now() - kept.at < MEMORY_MAX_AGE_MS) {
          // Most recently used last: the first to go when memory is full is the coldest.
          memory.delete(key);
          memory.set(key, kept);
          return respond(request, kept, encoding);
        }
      }
      // A flight per stamp: a request that saw a newer stamp never waits for an older fill.
      const flightKey = `${key}\u0000${stamp ?? "?"}`;
      let flight = inFlight.get(flightKey);
      const leader: { response?: Response } = {};
      if (!flight) {
        flight = (async () => {
          const loaded = await timing.time("kv", () => load(target)).catch(() => null);
          return loaded ?? await renderAndStore(target, options.render, leader);
        })().finally(() => inFlight.delete(flightKey));
        inFlight.set(flightKey, flight);
      }
      const ready = await flight.catch(() => null);
      if (ready) {
        if (memory.get(key) !== ready) remember(key, ready);
        return respond(request, ready, encoding);
      }
      return leader.response ?? await options.render();
    },

    /**
     * Forgets every stored answer of the scopes (bumping their stamps in one atomic op, so a
     * render in flight is not kept) and purges their CDN tags.
     */
    async invalidate(scopes: string[]): Promise<void> {
      const op = kv.atomic();
      for (const scope of scopes) {
        op.set(edgeStampKey(scope), crypto.randomUUID(), { expireIn: 2 * ENTRY_TTL_MS });
        for (const variant of VARIANTS) {
          for (const encoding of ENCODINGS) op.delete(edgeEntryKey(scope, variant, encoding));
        }
      }
      const result = await op.commit();
      if (!result.ok) throw new Error("edge page store: invalidation did not commit");
      stamps.committed(scopes, result.versionstamp);
      for (const scope of scopes) {
        for (const variant of VARIANTS) forget(memoryKey({ scope, variant }));
      }
      await deps.purge(scopes.map(cacheTagOf));
    },

    /** Resolves after the watch of `scope` (the landing page) next delivers (for tests). */
    nextWatched: (scope: string) => stamps.nextWatched(scope),
    /** Resolves once the watch of `scope` vouches for its stamp (for tests). */
    watching: (scope: string) => stamps.watching(scope),

    /** Ends the watches. */
    close: () => stamps.close(),
  };
}

/** The edge page store of one process. */
export type PageStore = ReturnType<typeof createPageStore>;

async function bytesHash(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)).slice(0, 16);
  return digest.toBase64({ alphabet: "base64url", omitPadding: true });
}
