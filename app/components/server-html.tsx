import { createContext, useContext, useState } from "react";

/** Markup loaders rendered for the current document (entry.server provides it); null in the browser. */
export const ServerHtmlContext = createContext<ReadonlyMap<string, string> | null>(null);

/**
 * Markup a loader rendered once on the server (a stage's view, issue 15 item 6). In a document
 * it is sent as HTML only, never again in the hydration data (`html` is null there): the
 * server render takes it from `ServerHtmlContext`, and hydration reads the element's own markup
 * back, as `CriticalCss` does. After a client-side load (navigation, revalidation while a
 * generation runs) it comes in the loader data.
 */
export function ServerHtml(
  { id, html, className }: { id: string; html: string | null; className?: string },
) {
  const rendered = useContext(ServerHtmlContext)?.get(id);
  const [inDocument] = useState(() =>
    rendered ??
      (typeof document === "undefined" ? "" : document.getElementById(id)?.innerHTML ?? "")
  );
  return (
    <div id={id} className={className} dangerouslySetInnerHTML={{ __html: html ?? inDocument }} />
  );
}
