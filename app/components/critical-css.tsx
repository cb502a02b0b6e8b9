import { createContext, useContext } from "react";

/** The stylesheet's text during a server render (entry.server provides it); null in the browser. */
export const CriticalCssContext = createContext<string | null>(null);

/**
 * The whole stylesheet inlined in `<head>` (docs/architecture.md §9: critical CSS inlined, ≤ 8 KB gzip): no
 * render-blocking request. In the browser the server's text is already in the DOM, so
 * hydration reads it back instead of shipping the CSS in JavaScript too.
 */
export function CriticalCss({ nonce }: { nonce: string }) {
  const css = useContext(CriticalCssContext) ??
    (typeof document === "undefined"
      ? ""
      : document.getElementById("critical-css")?.textContent ?? "");
  return <style id="critical-css" nonce={nonce} dangerouslySetInnerHTML={{ __html: css }} />;
}
