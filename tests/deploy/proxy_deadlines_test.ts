/**
 * Hostile input, issue 13 item 10: slow headers. Deno.serve has no header-read deadline, so a
 * self-hosted deployment runs behind the reverse proxy configured in deploy/nginx.conf (Deno
 * Deploy's edge plays that part there). This test runs that file as shipped, replacing only
 * its two addresses, in front of the real handler, and holds 400 slowloris connections open:
 * silent after a partial request line, trickling header lines, and stalled bodies. The proxy
 * must close every one of them by itself, the app must never see them, and a normal request
 * must be answered while they are held.
 */
import assert from "node:assert/strict";
import type { ServerBuild } from "@remix-run/server-runtime";
import { createHandler } from "../../app/server/handler.server.ts";
import { startTestApp } from "../support/app.ts";

const ROOT = new URL("../../", import.meta.url);
const NGINX = Deno.env.get("NGINX_PATH") ?? "/usr/sbin/nginx";
const SHIPPED = new URL("deploy/nginx.conf", ROOT);
/** A watchdog far beyond the shipped 10 s deadlines, so a missing deadline fails, not hangs. */
const WATCHDOG_MS = 90_000;

type Kind = "silent" | "trickle" | "body";

/** One slow client. Resolves with what the proxy did: answered (first line) or closed. */
async function slowClient(port: number, kind: Kind, held: () => void): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const encoder = new TextEncoder();
  const write = (text: string) => conn.write(encoder.encode(text)).catch(() => 0);
  let open = true;
  if (kind === "silent") await write("GET /api/health HTTP/1.1\r\nHost: atlas9.t");
  if (kind === "body") {
    await write(
      "POST /login HTTP/1.1\r\nHost: atlas9.test\r\n" +
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\nemail=",
    );
  }
  if (kind === "trickle") {
    await write("GET /api/health HTTP/1.1\r\nHost: atlas9.test\r\n");
    // The attack itself: one more header line now and then, never the blank line that ends them.
    (async () => {
      for (let i = 0; open; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (open) await write(`X-Slow-${i}: ${"a".repeat(10)}\r\n`);
      }
    })();
  }
  held();
  const buffer = new Uint8Array(4096);
  let text = "";
  try {
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) break;
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } catch {
    // A reset (reset_timedout_connection) is the proxy closing it too.
  } finally {
    open = false;
    conn.close();
  }
  return text.split("\r\n")[0] || "closed";
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Resolves once the proxy accepts connections (it prints nothing when ready). */
async function untilListening(port: number, exited: Promise<unknown>): Promise<void> {
  let stopped = false;
  exited.then(() => (stopped = true));
  for (let delay = 10;; delay = Math.min(delay * 2, 200)) {
    if (stopped) throw new Error("nginx exited before listening (see its error.log)");
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

Deno.test("slow headers: behind deploy/nginx.conf, 400 slowloris clients are cut off by the proxy and never reach the app", async () => {
  await Deno.stat(NGINX).catch(() => {
    throw new Error(`nginx is missing at ${NGINX}: apt-get install -y nginx (deno task test does)`);
  });
  const app = await startTestApp();
  const build = await import(new URL("build/index.js", ROOT).href) as unknown as ServerBuild;
  const handler = createHandler({
    build,
    services: app.services,
    publicDir: new URL("public", ROOT).pathname,
  });
  const seen: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request, info) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return handler(request, info);
    },
  );
  const prefix = await Deno.makeTempDir({ prefix: "atlas9-nginx-" });
  await Deno.mkdir(`${prefix}/tmp`);
  const port = freePort();
  const shipped = await Deno.readTextFile(SHIPPED);
  assert.match(shipped, /client_header_timeout 10s;/);
  assert.match(shipped, /client_body_timeout 10s;/);
  const conf = shipped
    .replace("listen 127.0.0.1:8080;", `listen 127.0.0.1:${port};`)
    .replace("server 127.0.0.1:8000;", `server 127.0.0.1:${server.addr.port};`)
    .replace("worker_processes auto;", "worker_processes 1;");
  await Deno.writeTextFile(`${prefix}/nginx.conf`, conf);
  const nginx = new Deno.Command(NGINX, {
    args: ["-p", `${prefix}/`, "-c", `${prefix}/nginx.conf`, "-g", "daemon off;"],
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  let watchdogFired = false;
  const watchdog = setTimeout(() => {
    watchdogFired = true;
    console.error("watchdog: the proxy left slow connections open");
    nginx.kill("SIGKILL");
  }, WATCHDOG_MS);
  try {
    await untilListening(port, nginx.status);
    const kinds: Kind[] = Array.from(
      { length: 400 },
      (_, i) => (["silent", "trickle", "body"] as const)[i % 3],
    );
    let heldCount = 0;
    let allHeld!: () => void;
    const holding = new Promise<void>((resolve) => (allHeld = resolve));
    const outcomes = kinds.map((kind) =>
      slowClient(port, kind, () => {
        if (++heldCount === kinds.length) allHeld();
      })
    );
    await holding;

    // While all 400 are held, a normal visitor is served through the proxy.
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();

    const results = await Promise.all(outcomes);
    assert.equal(watchdogFired, false, "the proxy closed them itself, before the watchdog");
    const byKind = new Map<Kind, string[]>();
    kinds.forEach((kind, i) => byKind.set(kind, [...(byKind.get(kind) ?? []), results[i]]));
    // Slow headers: closed (or a 408) by the proxy, never a response from the app.
    for (const kind of ["silent", "trickle"] as const) {
      for (const outcome of byKind.get(kind)!) {
        assert.ok(outcome === "closed" || outcome.includes(" 408 "), `${kind}: ${outcome}`);
      }
    }
    // Slow bodies: the proxy gives up on the body itself.
    for (const outcome of byKind.get("body")!) {
      assert.ok(outcome === "closed" || outcome.includes(" 408 "), `body: ${outcome}`);
    }
    // The app saw only the normal visitor: no slow request ever held one of its handlers.
    assert.deepEqual(seen, ["GET /api/health"]);
    console.log(
      `slow headers: ${results.length} slowloris connections closed by the proxy ` +
        `(${results.filter((r) => r === "closed").length} closed, ` +
        `${
          results.filter((r) => r.includes(" 408 ")).length
        } answered 408); app requests: ${seen.length}`,
    );
  } finally {
    clearTimeout(watchdog);
    try {
      nginx.kill("SIGTERM");
    } catch {
      // already gone
    }
    await nginx.status;
    await server.shutdown();
    await app.close();
    await Deno.remove(prefix, { recursive: true });
  }
});
