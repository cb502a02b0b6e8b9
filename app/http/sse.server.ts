/** Headers of every event stream (docs/architecture.md §4); `no-transform` keeps compression from buffering it. */
export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
} as const;

/** Wraps an SSE byte stream in a response. */
export function sseResponse(stream: ReadableStream<Uint8Array>): Response {
  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}

/** The sequence id a reconnecting client last saw (`Last-Event-ID`, or `?lastEventId=`). */
export function parseLastEventId(request: Request): number | undefined {
  const raw = request.headers.get("Last-Event-ID") ??
    new URL(request.url).searchParams.get("lastEventId");
  if (raw === null || !/^\d{1,12}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}
