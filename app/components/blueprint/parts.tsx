/** Building blocks shared by the blueprint views. */
import { createContext, type ReactNode, useContext } from "react";
import { isDiagramSvg, STAGE_TITLES } from "../../render/format.ts";

type StageKey = keyof typeof STAGE_TITLES;

/**
 * Set while a stage's view is rendered for its content alone (stage-html.server.tsx): the frame
 * then renders only its content and hands its title over, for a frame rendered elsewhere.
 */
export const FrameTitleContext = createContext<{ title?: string } | null>(null);

/** The frame of one stage's view: kicker, title, optional meta line, then the content. */
export function StageFrame(
  { stage, title, meta, children }: {
    stage: StageKey;
    title: ReactNode;
    meta?: ReactNode;
    children: ReactNode;
  },
) {
  const collect = useContext(FrameTitleContext);
  if (collect) {
    collect.title = String(title);
    return <>{children}</>;
  }
  return (
    <article className={`bp-stage bp-${stage}`} aria-labelledby={`bp-${stage}-title`}>
      <header className="bp-head">
        <p className="bp-kicker">{STAGE_TITLES[stage]}</p>
        <h2 id={`bp-${stage}-title`}>{title}</h2>
        {meta}
      </header>
      {children}
    </article>
  );
}

/** A titled block inside a stage; renders nothing when it has no content. */
export function Block(
  { title, when = true, children }: { title: string; when?: boolean; children: ReactNode },
) {
  if (!when) return null;
  return (
    <section className="bp-block">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A plain bulleted list of strings. */
export function TextList(
  { items, className }: { items: readonly string[]; className?: string },
) {
  return (
    <ul className={className}>
      {items.map((item, index) => <li key={index}>{item}</li>)}
    </ul>
  );
}

/**
 * A box that scrolls sideways on narrow screens (tables, wide diagrams). Keyboard users can
 * only scroll what they can focus, so it is focusable, and named as a region (axe
 * `scrollable-region-focusable`).
 */
export function ScrollRegion(
  { className, label, children }: { className: string; label: string; children: ReactNode },
) {
  return (
    <div className={className} tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/**
 * A server-rendered diagram. Only SVG strings built by the diagram modules pass the guard
 * (their text is escaped); anything else is dropped rather than inlined.
 */
export function Diagram(
  { svg, className, caption, scrollLabel }: {
    svg: string | undefined;
    className: string;
    caption?: ReactNode;
    /** Set for a diagram that scrolls sideways: it becomes a focusable, named region. */
    scrollLabel?: string;
  },
) {
  const scroll = scrollLabel
    ? { tabIndex: 0, role: "region", "aria-label": scrollLabel } as const
    : {};
  return (
    <figure className={`bp-figure ${className}`}>
      {svg && isDiagramSvg(svg)
        ? <div className="bp-svg" {...scroll} dangerouslySetInnerHTML={{ __html: svg }} />
        : <div className="bp-svg bp-svg-missing" aria-hidden="true" />}
      {caption ? <figcaption>{caption}</figcaption> : null}
    </figure>
  );
}
