/**
 * A local WebSocket-to-TCP bridge so the Neon serverless driver can reach a plain
 * PostgreSQL server, the way Neon documents local development (its `wsproxy`):
 * clients connect to `ws://127.0.0.1:PORT/v1?address=host:port`.
 */

/** A running bridge. */
export interface NeonBridge {
  /** Value for `openDatabase({ neonWsProxy })`: host, port and path, without protocol. */
  wsProxy: string;
  /** Stops accepting connections and closes every open tunnel. */
  close(): Promise<void>;
}

/** Starts a WebSocket-to-TCP bridge on a random loopback port. */
export function startNeonBridge(): Promise<NeonBridge> {
  const tunnels = new Set<Tunnel>();
  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: resolve },
    (request) => {
      const url = new URL(request.url);
      if (url.pathname !== "/v1") return new Response("not found", { status: 404 });
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("expected a WebSocket upgrade", { status: 426 });
      }
      const target = parseAddress(url.searchParams.get("address"));
      if (!target) return new Response("bad or missing ?address=host:port", { status: 400 });
      const { socket, response } = Deno.upgradeWebSocket(request);
      const tunnel = openTunnel(socket, target);
      tunnels.add(tunnel);
      tunnel.done.finally(() => tunnels.delete(tunnel));
      return response;
    },
  );
  return listening.then((addr) => ({
    wsProxy: `127.0.0.1:${addr.port}/v1`,
    close: async () => {
      for (const tunnel of tunnels) tunnel.close();
      await Promise.all([...tunnels].map((tunnel) => tunnel.done));
      await server.shutdown();
    },
  }));
}

interface Tunnel {
  done: Promise<void>;
  close(): void;
}

/** Only loopback targets: this bridge is for tests and must not become an open proxy. */
function parseAddress(address: string | null): { hostname: string; port: number } | null {
  const match = address?.match(/^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/);
  if (!match) return null;
  return { hostname: match[1] === "[::1]" ? "::1" : match[1], port: Number(match[2]) };
}

function openTunnel(socket: WebSocket, target: { hostname: string; port: number }): Tunnel {
  socket.binaryType = "arraybuffer";
  let tcp: Deno.TcpConn | undefined;
  let closed = false;
  const { promise: done, resolve } = Promise.withResolvers<void>();
  const pending: Uint8Array[] = [];
  let writing = Promise.resolve();

  const close = () => {
    if (closed) return;
    closed = true;
    try {
      tcp?.close();
    } catch {
      // Already closed by the reader.
    }
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
      socket.close();
    }
  };

  // Writes are chained so frames reach the server in the order they arrived.
  const forward = (bytes: Uint8Array) => {
    writing = writing.then(async () => {
      if (!tcp || closed) return;
      try {
        for (let offset = 0; offset < bytes.length;) {
          offset += await tcp.write(bytes.subarray(offset));
        }
      } catch {
        close();
      }
    });
  };

  socket.onmessage = (event) => {
    const data = event.data;
    const bytes = typeof data === "string"
      ? new TextEncoder().encode(data)
      : new Uint8Array(data as ArrayBuffer);
    if (tcp) forward(bytes);
    else pending.push(bytes);
  };
  socket.onclose = close;
  socket.onerror = close;

  const socketClosed = new Promise<void>((resolveClosed) => {
    if (socket.readyState === WebSocket.CLOSED) resolveClosed();
    else socket.addEventListener("close", () => resolveClosed());
  });

  (async () => {
    try {
      tcp = await Deno.connect({ hostname: target.hostname, port: target.port });
      for (const bytes of pending.splice(0)) forward(bytes);
      for await (const chunk of tcp.readable) {
        if (socket.readyState !== WebSocket.OPEN) break;
        socket.send(chunk);
      }
    } catch {
      // A reset or a refused connection ends the tunnel like a clean close.
    } finally {
      close();
      await writing;
      await socketClosed;
      resolve();
    }
  })();

  return { done, close };
}
