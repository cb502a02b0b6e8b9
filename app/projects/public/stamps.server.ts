/**
 * The current content stamp of an edge-served scope (decision 015), as cheaply as each scope's
 * guarantee allows. A per-instance copy of a stored answer is served only while the scope's
 * stamp is the one it was stored under.
 *
 * - **Strong** (public pages and API, `p:<slug>`): every request is answered from a strongly
 *   consistent KV read that *started after the request arrived*, so a change committed before
 *   the request (an owner taking a page down on another instance) is always seen. Concurrent
 *   requests share reads: a request arriving while a read is in flight waits for the next one,
 *   never for the one already running, so at most two reads per scope are outstanding however
 *   many requests arrive.
 * - **Watched** (the landing page): the stamp is followed with `kv.watch`, so a request reads
 *   nothing. Another instance's change is seen when the watch delivers it (the landing page only
 *   lists examples); this instance's own changes are seen at once: until the watch has
 *   delivered a version at least as new as the local commit, requests fall back to strong reads.
 */
import { setImmediate } from "node:timers";
import { z } from "zod";
import { edgeStampKey } from "../../kv/keys.ts";

const stampSchema = z.string();

/** A stamp as a request compares it: the stored value, or "" when the scope has none yet. */
const valueOf = (entry: Deno.KvEntryMaybe<unknown>) =>
  stampSchema.safeParse(entry.value).data ?? "";

/**
 * Reads shared by concurrent callers without ever answering a caller from a read that started
 * before its call: a caller that arrives while a read runs (or while the next is about to
 * start) gets the next read (see the module comment). The next read starts once the event loop
 * has taken in the requests that arrived meanwhile (`setImmediate`), so each read answers as
 * many of them as it can. Exported for its unit test.
 */
export function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let state: "idle" | "running" | "scheduled" = "idle";
  /** Callers waiting for a read that has not started yet. */
  let next: PromiseWithResolvers<T> | null = null;

  const start = (): Promise<T> => {
    state = "running";
    const current = read();
    current.then(finished, finished);
    return current;
  };
  const startNext = () => {
    const waiting = next!;
    next = null;
    start().then(waiting.resolve, waiting.reject);
  };
  function finished() {
    if (!next) {
      state = "idle";
      return;
    }
    state = "scheduled";
    setImmediate(startNext);
  }
  return () => {
    if (state === "idle") return start();
    next ??= Promise.withResolvers<T>();
    return next.promise;
  };
}

/** Current stamps of edge-served scopes: strong reads, or a watch for the `watched` scopes. */
export function createStamps(deps: { kv: Deno.Kv; watched: readonly string[] }) {
  const { kv } = deps;
  const strong = new Map<string, () => Promise<string>>();
  const watches = new Map<string, ReturnType<typeof watchScope>>();
  let closed = false;

  function strongRead(scope: string): Promise<string> {
    let read = strong.get(scope);
    if (!read) {
      read = sharedRead(async () => valueOf(await kv.get(edgeStampKey(scope))));
      // Only hot scopes are worth keeping; a cold one gets a fresh function next time.
      if (strong.size > 1_000) strong.clear();
      strong.set(scope, read);
    }
    return read();
  }

  function watchScope(scope: string) {
    let latest: { value: string; versionstamp: string } | null = null;
    /** The versionstamp of this instance's last commit to the stamp, until the watch has it. */
    let awaiting: string | null = null;
    let reader: ReadableStreamDefaultReader<Deno.KvEntryMaybe<unknown>[]> | null = null;
    const listeners = new Set<() => void>();

    const follow = async (stream: ReadableStream<Deno.KvEntryMaybe<unknown>[]>) => {
      reader = stream.getReader();
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) break;
          const entry = value[0];
          const versionstamp = entry.versionstamp ?? "";
          latest = { value: valueOf(entry), versionstamp };
          if (awaiting !== null && versionstamp >= awaiting) awaiting = null;
          for (const listener of listeners) listener();
        }
      } catch (error) {
        if (!closed) console.error(`edge page store: watch of ${scope} ended:`, error);
      } finally {
        // Until a new watch delivers, requests read the stamp themselves.
        latest = null;
        reader = null;
      }
    };

    return {
      /** The watched stamp, or null when the watch cannot vouch for it (not live, or behind). */
      current(): string | null {
        if (!reader && !closed) void follow(kv.watch([edgeStampKey(scope)]));
        return awaiting === null && latest ? latest.value : null;
      },
      /** This instance committed a new stamp: the watch is behind until it delivers it. */
      committed(versionstamp: string) {
        if (!latest || latest.versionstamp < versionstamp) awaiting = versionstamp;
      },
      /** Resolves after the watch's next delivery. */
      next(): Promise<void> {
        return new Promise((resolve) => {
          const once = () => (listeners.delete(once), resolve());
          listeners.add(once);
        });
      },
      /** Whether the watch vouches for the stamp now. */
      vouches: () => awaiting === null && latest !== null,
      close: () => reader?.cancel().catch(() => {}),
    };
  }

  const watchOf = (scope: string) => {
    if (!deps.watched.includes(scope)) return null;
    let watch = watches.get(scope);
    if (!watch) watches.set(scope, watch = watchScope(scope));
    return watch;
  };

  return {
    /** The stamp a request may serve a stored copy under. */
    current(scope: string): string | Promise<string> {
      return watchOf(scope)?.current() ?? strongRead(scope);
    },
    /** Records this instance's commit of new stamps (versionstamp of the commit). */
    committed(scopes: readonly string[], versionstamp: string): void {
      for (const scope of scopes) watchOf(scope)?.committed(versionstamp);
    },
    /** Resolves after the watch of `scope` delivers its next value (tests wait on this). */
    nextWatched(scope: string): Promise<void> {
      const watch = watchOf(scope);
      if (!watch) return Promise.reject(new Error(`${scope} is not watched`));
      const next = watch.next();
      watch.current();
      return next;
    },
    /** Resolves once the watch of `scope` vouches for its stamp (requests then read nothing). */
    async watching(scope: string): Promise<void> {
      const watch = watchOf(scope);
      if (!watch) throw new Error(`${scope} is not watched`);
      while (true) {
        const next = watch.next();
        watch.current();
        if (watch.vouches()) return;
        await next;
      }
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all([...watches.values()].map((watch) => watch.close()));
    },
  };
}

/** The stamps of one process. */
export type Stamps = ReturnType<typeof createStamps>;
