import { Form, Link } from "@remix-run/react";
import type { StageName } from "../blueprint/stages.ts";
import type { BrandSpec, ProductSpec } from "../blueprint/schemas.ts";
import type { VersionEntry } from "../projects/view.server.ts";
import type { Usage } from "../blueprint/usage.ts";
import type { LiveStage } from "./live.tsx";
import { CompareView } from "./compare-view.tsx";
import type { CompareData } from "./compare-view.tsx";
import { StageView } from "./blueprint/stage-view.tsx";
import type { StageViewProps } from "./blueprint/stage-view.tsx";
import { StageMeta } from "./blueprint/stage-meta.tsx";
import { StageSkeleton } from "./blueprint/stage-skeleton.tsx";
import { STAGE_TITLES } from "../render/format.ts";
import { StageFrame } from "./blueprint/parts.tsx";
import { ServerHtml } from "./server-html.tsx";

/**
 * What a section shows of one stage version: its output and extras, rendered here (public
 * pages, which leave usage out), or its title and markup already rendered on the server (the
 * project page, stage-html.server.tsx; `html` is null when the markup is in the document).
 */
export type SectionView =
  & { version: number; usage?: Usage }
  & (
    | { output: Record<string, unknown> | null; extras: Record<string, unknown> }
    | { title: string | null; html: string | null }
  );

/** The element id of a stage's view rendered on the server. */
export const stageBodyId = (stage: StageName) => `bp-${stage}-body`;

/** One stage of a project page: its view with meta, versions and regenerate, or its placeholder. */
export function StageSection(
  {
    stage,
    view,
    live,
    running,
    stale,
    history,
    blueprint,
    readOnly,
    compare,
    fileHref,
    openPath,
  }: {
    stage: StageName;
    view: SectionView | null;
    live?: LiveStage;
    running: boolean;
    stale: boolean;
    history: VersionEntry[];
    blueprint?: { product?: ProductSpec; brand?: BrandSpec };
    /** Public pages: no usage, versions, compare or regenerate. */
    readOnly?: boolean;
    /** The comparison of two versions of this stage, when one was asked for. */
    compare?: CompareData | null;
    /** Where a code file that is not previewed opens. */
    fileHref?: (path: string) => string;
    openPath?: string | null;
  },
) {
  const rendered = view !== null && "title" in view;
  if (!view || (rendered ? view.title === null : !view.output)) {
    return (
      <div id={stage} className="stage-slot">
        <StageSkeleton stage={stage} status={placeholderStatus(live, running)} />
        {live?.preview.length
          ? (
            <ul className="chips stage-preview" aria-label={`${STAGE_TITLES[stage]} so far`}>
              {live.preview.map((item, i) => <li key={i} className="chip">{item}</li>)}
            </ul>
          )
          : null}
      </div>
    );
  }
  const meta = (
    <div className="stage-tools">
      <span className="badge">{`v${view.version}`}</span>
      {stale ? <span className="badge warn">stale — an input changed</span> : null}
      {view.usage && !readOnly ? <StageMeta usage={view.usage} /> : null}
      {!readOnly && history.length > 1
        ? (
          <nav aria-label={`${STAGE_TITLES[stage]} versions`} className="versions">
            {history.map((entry) => (
              <Link
                key={entry.version}
                to={`?${stage}=${entry.version}#${stage}`}
                aria-current={entry.version === view.version ? "true" : undefined}
                aria-label={`${STAGE_TITLES[stage]} v${entry.version}`}
                className="chip"
              >
                {`v${entry.version}`}
              </Link>
            ))}
            <Link
              to={`?compare=${stage}:${
                comparedWith(history, view.version)
              }..${view.version}#${stage}-compare`}
              className="chip"
            >
              Compare versions
            </Link>
          </nav>
        )
        : null}
      {readOnly ? null : (
        // Kept (disabled) while a generation runs, so the header keeps its height.
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="regenerate" />
          <input type="hidden" name="stage" value={stage} />
          <button type="submit" className="secondary" disabled={running}>Regenerate</button>
        </Form>
      )}
    </div>
  );
  return (
    <div id={stage} className="stage-slot">
      {compare
        ? (
          <CompareView
            compare={compare}
            versions={history.map((entry) => entry.version).sort((a, b) => a - b)}
          />
        )
        : null}
      {"title" in view
        ? (
          <StageFrame stage={stage} title={view.title} meta={meta}>
            <ServerHtml id={stageBodyId(stage)} html={view.html} className="bp-body" />
          </StageFrame>
        )
        : (
          <StageView
            view={{ stage, output: view.output, extras: view.extras } as unknown as StageViewProps}
            blueprint={blueprint}
            meta={meta}
            fileHref={fileHref}
            openPath={openPath}
          />
        )}
    </div>
  );
}

/** The version to compare the shown one with: the one before it, else the newest other one. */
function comparedWith(history: VersionEntry[], shown: number): number {
  const others = history.map((entry) => entry.version).filter((v) => v !== shown);
  const older = others.filter((v) => v < shown);
  return older.length ? Math.max(...older) : Math.max(...others);
}

function placeholderStatus(live: LiveStage | undefined, running: boolean): string {
  if (live?.state === "failed") return `Failed: ${live.error ?? "every provider failed"}`;
  if (live?.state === "running") {
    return `Writing with ${live.provider ?? "…"}${live.model ? ` (${live.model})` : ""}…`;
  }
  if (live?.state === "completed") return "Done — loading…";
  return running ? "Waiting for earlier stages…" : "Not generated.";
}
