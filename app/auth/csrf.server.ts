/** Methods that change state; only these are checked. */
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** How to read the request's own origin. */
export interface CsrfOptions {
  /** Behind a reverse proxy that sets X-Forwarded-Host/-Proto, compare against those. */
  trustProxy?: boolean;
}

/**
 * Whether a cookie-authenticated state-changing request comes from another site.
 * Decided from Sec-Fetch-Site when the browser sends it, else from Origin; requests with
 * neither (curl, server-to-server, browsers before 2020) are allowed — see docs/decisions/003.
 */
export function isCrossSiteRequest(request: Request, options: CsrfOptions = {}): boolean {
  if (!STATE_CHANGING.has(request.method.toUpperCase())) return false;

  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite !== null) {
    // The browser computed this against the real origin, so a proxy cannot confuse it.
    // "same-site" is refused too: a sibling subdomain is not this application.
    const site = fetchSite.trim().toLowerCase();
    return site !== "same-origin" && site !== "none";
  }

  const origin = request.headers.get("origin");
  if (origin === null) return false;
  // Sandboxed frames and privacy-sensitive redirects send "null": never our own page.
  if (!URL.canParse(origin)) return true;
  const from = new URL(origin);
  const own = ownOrigin(request, options);
  if (from.host !== own.host) return true;
  return own.protocol !== null && from.protocol !== own.protocol;
}

/** Host (and, when a trusted proxy says so, scheme) the request was addressed to. */
function ownOrigin(
  request: Request,
  options: CsrfOptions,
): { host: string; protocol: string | null } {
  const url = new URL(request.url);
  if (!options.trustProxy) return { host: url.host, protocol: null };
  const host = firstValue(request.headers.get("x-forwarded-host"));
  const proto = firstValue(request.headers.get("x-forwarded-proto"));
  return {
    host: host !== null && URL.canParse(`http://${host}`)
      ? new URL(`http://${host}`).host
      : url.host,
    protocol: proto !== null ? `${proto.toLowerCase()}:` : null,
  };
}

/** The first entry of a comma-joined forwarding header (the client-facing hop). */
function firstValue(header: string | null): string | null {
  const first = header?.split(",")[0]?.trim();
  return first ? first : null;
}
