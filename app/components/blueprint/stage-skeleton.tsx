import type { StageName } from "../../blueprint/stages.ts";
import { STAGE_TITLES } from "../../render/format.ts";

/**
 * The placeholder of a stage that has not arrived yet. It carries the same `bp-stage` classes
 * (and so the same min-height) as the finished view, so content streaming in shifts nothing.
 */
export function StageSkeleton(
  { stage, status = "Waiting for earlier stages…" }: { stage: StageName; status?: string },
) {
  return (
    <section
      className={`bp-stage bp-${stage} bp-skeleton`}
      aria-busy="true"
      aria-labelledby={`bp-${stage}-title`}
    >
      <header className="bp-head">
        <p className="bp-kicker">{STAGE_TITLES[stage]}</p>
        <h2 id={`bp-${stage}-title`}>
          <span className="bp-skel bp-skel-title" />
          <span className="visually-hidden">{STAGE_TITLES[stage]}</span>
        </h2>
      </header>
      <p className="muted" role="status">{status}</p>
      <span className="bp-skel" />
      <span className="bp-skel bp-skel-short" />
      <span className="bp-skel" />
      <span className="bp-skel bp-skel-block" />
    </section>
  );
}
