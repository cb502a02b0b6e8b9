/**
 * A minimal HTTP/1.1 server on raw loopback TCP, for the LLM fakes. Raw TCP (not Deno.serve)
 * so a fake can cut a connection mid-body without a terminating chunk, and so tests can count
 * real open connections and see when a client closed one.
 */

/** One request a fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  rawBody: string;
  /** The JSON body, or undefined when it is not JSON. */
  body: unknown;
  /** True once the client closed the connection before the response ended. */
  clientClosed: boolean;
  /** Settles when the exchange is over (response ended, cut, or client gone). */
  finished: Promise<void>;
}

/** Writes one response; every write is a no-op once the client is gone. */
export interface ResponseWriter {
  /** Resolves after `ms`, or early when the client closes the connection. */
  sleep(ms: number): Promise<void>;
  readonly clientGone: boolean;
  /** A complete response with a JSON body. */
  json(status: number, body: unknown, headers?: Record<string, string>): Promise<void>;
  /** Starts a chunked response (status line and headers). */
  start(status: number, headers: Record<string, string>): Promise<void>;
  /** Sends one body chunk of a started response. */
  write(text: string): Promise<void>;
  /** Ends a started response with the terminating chunk. */
  end(): Promise<void>;
  /** Closes the connection mid-body, without the terminating chunk. */
  cut(): void;
}

/** A running fake server. */
export interface FakeHttpServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  requests: RecordedRequest[];
  /** Connections accepted and not yet closed by either side. */
  readonly openConnections: number;
  close(): Promise<void>;
}

/** Answers one request of a fake server. */
export type FakeHandler = (request: RecordedRequest, response: ResponseWriter) => Promise<void>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Starts a server on 127.0.0.1, port 0; one request per connection (`Connection: close`). */
export function startFakeHttpServer(handler: FakeHandler): FakeHttpServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: RecordedRequest[] = [];
  const connections = new Set<Deno.Conn>();
  const exchanges = new Set<Promise<void>>();

  const accept = (async () => {
    for await (const conn of listener) {
      connections.add(conn);
      const exchange = serve(conn).finally(() => {
        exchanges.delete(exchange);
      });
      exchanges.add(exchange);
    }
  })().catch(() => {});

  async function serve(conn: Deno.Conn): Promise<void> {
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      connections.delete(conn);
      try {
        conn.close();
      } catch {
        // Already closed by the other side.
      }
    };
    try {
      const parsed = await readRequest(conn);
      if (!parsed) return;
      let finish: () => void = () => {};
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const rawBody = parsed.body;
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const request: RecordedRequest = {
        method: parsed.method,
        path: parsed.path,
        headers: parsed.headers,
        rawBody,
        body,
        clientClosed: false,
        finished,
      };
      requests.push(request);

      let ended = false;
      const wakers = new Set<() => void>();
      const gone = () => {
        if (ended || request.clientClosed) return;
        request.clientClosed = true;
        for (const wake of wakers) wake();
      };
      // The client sends nothing after the request: a read that returns means it hung up.
      const watch = conn.read(new Uint8Array(1)).then(gone, gone);

      const send = async (text: string) => {
        if (closed || request.clientClosed) return;
        try {
          const bytes = encoder.encode(text);
          for (let written = 0; written < bytes.length;) {
            written += await conn.write(bytes.subarray(written));
          }
        } catch {
          gone();
        }
      };
      const writer: ResponseWriter = {
        sleep(ms) {
          if (request.clientClosed) return Promise.resolve();
          return new Promise<void>((resolve) => {
            const wake = () => {
              clearTimeout(timer);
              wakers.delete(wake);
              resolve();
            };
            const timer = setTimeout(wake, ms);
            wakers.add(wake);
          });
        },
        get clientGone() {
          return request.clientClosed;
        },
        async json(status, payload, headers = {}) {
          const text = JSON.stringify(payload);
          await send(
            statusLine(status) +
              headerLines({
                "content-type": "application/json",
                "content-length": String(encoder.encode(text).length),
                ...headers,
              }) + text,
          );
          ended = true;
        },
        async start(status, headers) {
          await send(
            statusLine(status) + headerLines({ ...headers, "transfer-encoding": "chunked" }),
          );
        },
        async write(text) {
          if (text === "") return;
          await send(`${encoder.encode(text).length.toString(16)}\r\n${text}\r\n`);
        },
        async end() {
          await send("0\r\n\r\n");
          ended = true;
        },
        cut() {
          ended = true;
          close();
        },
      };
      try {
        await handler(request, writer);
      } finally {
        ended = true;
        close();
        await watch;
        finish();
      }
    } finally {
      close();
    }
  }

  return {
    origin: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    requests,
    get openConnections() {
      return connections.size;
    },
    async close() {
      listener.close();
      await accept;
      for (const conn of connections) {
        try {
          conn.close();
        } catch {
          // Already closed.
        }
      }
      connections.clear();
      await Promise.all(exchanges);
    },
  };
}

async function readRequest(
  conn: Deno.Conn,
): Promise<
  { method: string; path: string; headers: Record<string, string>; body: string } | undefined
> {
  let buffer = new Uint8Array(0);
  const chunk = new Uint8Array(16 * 1024);
  const append = (bytes: Uint8Array) => {
    const next = new Uint8Array(buffer.length + bytes.length);
    next.set(buffer);
    next.set(bytes, buffer.length);
    buffer = next;
  };
  let headerEnd = -1;
  while (headerEnd < 0) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) return undefined;
    append(chunk.subarray(0, n));
    headerEnd = indexOfCrlfCrlf(buffer);
  }
  const head = decoder.decode(buffer.subarray(0, headerEnd));
  const [requestLine, ...lines] = head.split("\r\n");
  const [method, path] = requestLine.split(" ");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  const length = Number(headers["content-length"] ?? 0);
  let body = buffer.subarray(headerEnd + 4);
  while (body.length < length) {
    const n = await conn.read(chunk).catch(() => null);
    if (n === null) return undefined;
    const next = new Uint8Array(body.length + n);
    next.set(body);
    next.set(chunk.subarray(0, n), body.length);
    body = next;
  }
  return { method, path, headers, body: decoder.decode(body.subarray(0, length)) };
}

function indexOfCrlfCrlf(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

const REASONS: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  529: "Site Overloaded",
};

function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n`;
}

function headerLines(headers: Record<string, string>): string {
  const all = { connection: "close", ...headers };
  return Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`).join("") + "\r\n";
}
