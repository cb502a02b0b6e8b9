/**
 * Hydration after the first paint. Every page works without JavaScript (forms post, links
 * navigate), so the scripts that hydrate it are an enhancement and should not compete with the
 * page's own bytes (document, fonts) before it is painted: on a slow phone link, ~85 KB of
 * module preloads fetched at once delayed first and largest paint by most of a second
 * (Lighthouse mobile, decision 006).
 *
 * The document leaves the server with Remix's module preloads and module script inert (an
 * unknown `rel` and `type`: the browser neither fetches nor runs them), plus one small classic
 * script that, once the page is painted in its fonts, turns them back into what Remix wrote, in place
 * (so React hydrates the same elements the server rendered). The inline module's text is kept
 * byte for byte, so its CSP hash (stored pages) or nonce (per-request pages) still allows it.
 */

const INERT_PRELOAD = "x-atlas9-modulepreload";
const INERT_MODULE = "x-atlas9-module";
/** Hydration waits at most this long for the web fonts (a stalled font must not keep JS off). */
const FONT_WAIT_MS = 3_000;

/**
 * The loader: removes itself at once (React never sees it); once the web fonts have loaded (the
 * text is painted in them) or 3 s have passed, it wakes the scripts after the next frame.
 */
export const HYDRATION_LOADER = `(function(){document.currentScript.remove();` +
  `function wake(){document.querySelectorAll('link[rel="${INERT_PRELOAD}"]').forEach(` +
  `function(l){l.rel="modulepreload"});` +
  `document.querySelectorAll('script[type="${INERT_MODULE}"]').forEach(function(old){` +
  `var s=document.createElement("script");s.type="module";s.async=true;` +
  `if(old.nonce)s.nonce=old.nonce;s.textContent=old.textContent;old.replaceWith(s)})}` +
  `var woke=0;function later(){if(!woke++)requestAnimationFrame(function(){setTimeout(wake,0)})}` +
  `if(document.fonts)document.fonts.ready.then(later,later);else later();` +
  `setTimeout(later,${FONT_WAIT_MS})})()`;

const PRELOAD = /<link rel="modulepreload"/g;
const MODULE_SCRIPT = /<script((?:\s+nonce="[^"]*")?)\s+type="module"/g;

/**
 * The document with its hydration deferred to after the first paint; unchanged when it loads no
 * module (a plain-HTML page such as `/p/:slug`).
 */
export function deferHydration(html: string, nonce?: string): string {
  if (!html.includes('type="module"')) return html;
  const end = html.lastIndexOf("</body>");
  if (end < 0) return html;
  const loader = `<script${nonce ? ` nonce="${nonce}"` : ""}>${HYDRATION_LOADER}</script>`;
  const inert = html.slice(0, end)
    .replace(PRELOAD, `<link rel="${INERT_PRELOAD}"`)
    .replace(MODULE_SCRIPT, `<script$1 type="${INERT_MODULE}"`);
  return inert + loader + html.slice(end);
}

/** `deferHydration` over a rendered document stream (read whole: pages are sent whole anyway). */
export async function deferHydrationStream(
  body: ReadableStream<Uint8Array>,
  nonce?: string,
): Promise<ReadableStream<Uint8Array>> {
  const html = await new Response(body).text();
  const bytes = new TextEncoder().encode(deferHydration(html, nonce));
  return new Response(bytes).body!;
}
