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

/** Headers every response carries whatever it is. */
const ALWAYS: readonly (readonly [string, string])[] = [
  ["X-Content-Type-Options", "nosniff"],
  ["Referrer-Policy", "strict-origin-when-cross-origin"],
  ["X-Frame-Options", "DENY"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
];
const HSTS = ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"] as const;
/** Other sites may not embed our responses (pages, API, images) in theirs, unless a route says so. */
const CORP = ["Cross-Origin-Resource-Policy", "same-origin"] as const;

/** The policy of an answer that is no page (JSON such as the health report): nothing runs. */
export const NO_SCRIPT_POLICY = policy({ script: "'none'", style: "'none'" });

/**
 * Adds the security headers every response carries (CSP only where none is set; `nonce` is
 * asked for only then).
 */
export function applySecurityHeaders(
  headers: Headers,
  options: { nonce: string | (() => string); https: boolean },
): void {
  if (!headers.has("Content-Security-Policy")) {
    const { nonce } = options;
    headers.set(
      "Content-Security-Policy",
      contentSecurityPolicy(typeof nonce === "string" ? nonce : nonce()),
    );
  }
  for (const [name, value] of ALWAYS) headers.set(name, value);
  if (!headers.has(CORP[0])) headers.set(...CORP);
  if (options.https) headers.set(...HSTS);
}

/**
 * The same headers for a fixed answer (app/http/fixed.server.ts), appended: its maker sets none
 * of them but, for HTML, the CSP (an answer without one runs nothing: `NO_SCRIPT_POLICY`).
 */
export function appendSecurityHeaders(headers: Headers, options: { https: boolean }): void {
  if (!headers.has("Content-Security-Policy")) {
    headers.append("Content-Security-Policy", NO_SCRIPT_POLICY);
  }
  for (const [name, value] of ALWAYS) headers.append(name, value);
  headers.append(...CORP);
  if (options.https) headers.append(...HSTS);
}
