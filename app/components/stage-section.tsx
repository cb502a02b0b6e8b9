import { Form, Link } from "@remix-run/react";
import type { StageName } from "../generation/stages.ts";
import type { BrandSpec, ProductSpec } from "../generation/schemas.ts";
import type { StageView as StageViewData, VersionEntry } from "../generation/project-view.server.ts";
import type { LiveStage } from "./live.tsx";
import { StageView } from "./blueprint/StageView.tsx";
import type { StageViewProps } from "./blueprint/StageView.tsx";
import { StageMeta } from "./blueprint/StageMeta.tsx";
import { StageSkeleton } from "./blueprint/StageSkeleton.tsx";
import { STAGE_TITLES } from "./blueprint/format.ts";

/** One stage of a project page: its view with meta, versions and regenerate, or its placeholder. */
export function StageSection(
  { stage, view, live, running, stale, history, blueprint, readOnly }: {
    stage: StageName;
    view: StageViewData | null;
    live?: LiveStage;
    running: boolean;
    stale: boolean;
    history: VersionEntry[];
    blueprint?: { product?: ProductSpec; brand?: BrandSpec };
    readOnly?: boolean;
  },
) {
  if (!view || !view.output) {
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
      <span className="badge">v{view.version}</span>
      {stale ? <span className="badge warn">stale — an input changed</span> : null}
      <StageMeta usage={view.usage} />
      {!readOnly && history.length > 1
        ? (
          <nav aria-label={`${STAGE_TITLES[stage]} versions`} className="versions">
            {history.map((entry) => (
              <Link
                key={entry.version}
                to={`?${stage}=${entry.version}#${stage}`}
                aria-current={entry.version === view.version ? "true" : undefined}
                className="chip"
              >
                v{entry.version}
              </Link>
            ))}
          </nav>
        )
        : null}
      {!readOnly && !running
        ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="regenerate" />
            <input type="hidden" name="stage" value={stage} />
            <button type="submit" className="secondary">Regenerate</button>
          </Form>
        )
        : null}
    </div>
  );
  return (
    <div id={stage} className="stage-slot">
      <StageView
        view={{ stage, output: view.output, extras: view.extras } as unknown as StageViewProps}
        blueprint={blueprint}
        meta={meta}
      />
    </div>
  );
}

function placeholderStatus(live: LiveStage | undefined, running: boolean): string {
  if (live?.state === "failed") return `Failed: ${live.error ?? "every provider failed"}`;
  if (live?.state === "running") {
    return `Writing with ${live.provider ?? "…"}${live.model ? ` (${live.model})` : ""}…`;
  }
  if (live?.state === "completed") return "Done — loading…";
  return running ? "Waiting for earlier stages…" : "Not generated.";
}
