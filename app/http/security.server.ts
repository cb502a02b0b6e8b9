/** A fresh CSP nonce for one response. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The Content-Security-Policy for a page rendered with the given nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return policy({ script: `'self' 'nonce-${nonce}'`, style: `'self' 'nonce-${nonce}'` });
}

/**
 * The Content-Security-Policy of stored HTML (the same bytes for every visitor, so no nonce):
 * its inline scripts and styles by SHA-256 hash; no script at all when the page has none.
 */
export async function hashedContentSecurityPolicy(html: string): Promise<string> {
  const scripts: string[] = [];
  let external = false;
  for (const [, attributes, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(attributes)) external = true;
    else scripts.push(await sourceHash(body));
  }
  const styles: string[] = [];
  for (const [, body] of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    styles.push(await sourceHash(body));
  }
  const script = scripts.length || external ? ["'self'", ...new Set(scripts)].join(" ") : "'none'";
  return policy({ script, style: ["'self'", ...new Set(styles)].join(" ") });
}

async function sourceHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `'sha256-${new Uint8Array(digest).toBase64()}'`;
}

function policy(sources: { script: string; style: string }): string {
  return [
    "default-src 'self'",
    `script-src ${sources.script}`,
    `style-src ${sources.style}`,
    // React's style={{}} props become style attributes; they cannot carry a nonce.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** Adds the security headers every response carries (CSP only where none is set). */
export function applySecurityHeaders(
  headers: Headers,
  options: { nonce: string; https: boolean },
): void {
  if (!headers.has("Content-Security-Policy")) {
    headers.set("Content-Security-Policy", contentSecurityPolicy(options.nonce));
  }
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  // Other sites may not embed our responses (pages, API, images) in theirs; a route that
  // means to be embeddable sets its own.
  if (!headers.has("Cross-Origin-Resource-Policy")) {
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
  }
  headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (options.https) {
    headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
}
