import { Form, Link } from "@remix-run/react";
import type { StageName } from "../generation/stages.ts";
import type { StageView, VersionEntry } from "../generation/project-view.server.ts";
import type { LiveStage } from "./live.tsx";
import { StageBody } from "./blueprint/StageBody.tsx";
import { StageMeta } from "./blueprint/StageMeta.tsx";
import { StageSkeleton } from "./blueprint/StageSkeleton.tsx";

const TITLES: Record<StageName, string> = {
  product: "Product spec",
  brand: "Brand",
  design: "Design system",
  architecture: "Architecture",
  code: "Code stubs",
};

/** One stage of a project page: header, meta, versions, regenerate, and the stage view. */
export function StageSection(
  { stage, view, live, running, stale, history }: {
    stage: StageName;
    view: StageView | null;
    live?: LiveStage;
    running: boolean;
    stale: boolean;
    history: VersionEntry[];
  },
) {
  const headingId = `stage-${stage}`;
  return (
    <section className="stage card" aria-labelledby={headingId} id={stage}>
      <header className="stage-header">
        <h2 id={headingId}>{TITLES[stage]}</h2>
        <div className="stage-badges">
          {view ? <span className="badge">v{view.version}</span> : null}
          {stale ? <span className="badge warn">stale — inputs changed</span> : null}
          {live?.state === "failed" ? <span className="badge err">failed</span> : null}
        </div>
      </header>
      {view
        ? (
          <>
            <StageMeta usage={view.usage} />
            <div className="stage-tools">
              {history.length > 1
                ? (
                  <nav aria-label={`${TITLES[stage]} versions`} className="versions">
                    <span className="muted">Versions:</span>
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
              {!running
                ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="regenerate" />
                    <input type="hidden" name="stage" value={stage} />
                    <button type="submit" className="secondary">Regenerate {TITLES[stage].toLowerCase()}</button>
                  </Form>
                )
                : null}
            </div>
            <StageBody stage={stage} output={view.output} extras={view.extras} />
          </>
        )
        : live && live.state !== "waiting"
        ? (
          <div className="stage-live" aria-busy={live.state === "running" || undefined}>
            <p className="muted">
              {live.state === "failed"
                ? live.error
                : `Writing with ${live.provider ?? "…"}${live.model ? ` (${live.model})` : ""}…`}
            </p>
            {live.preview.length
              ? (
                <ul className="chips">
                  {live.preview.map((item, i) => <li key={i} className="chip">{item}</li>)}
                </ul>
              )
              : null}
          </div>
        )
        : <StageSkeleton stage={stage} waiting={running} />}
    </section>
  );
}
