import type { Usage } from "../../blueprint/usage.ts";
import { formatCost, formatCount, formatDuration } from "../../render/format.ts";

/** Who produced a stage and what it cost: provider, model, tokens, cost, time, cache hit. */
export function StageMeta({ usage }: { usage: Usage }) {
  return (
    <dl className="bp-meta">
      <div>
        <dt>Provider</dt>
        <dd>{usage.provider}</dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>{usage.model}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd>
          {formatCount(usage.inputTokens)} in / {formatCount(usage.outputTokens)} out
        </dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{formatCost(usage.costUsd)}</dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd title={`First token after ${formatDuration(usage.ttftMs)}`}>
          {formatDuration(usage.durationMs)}
        </dd>
      </div>
      {usage.cached
        ? (
          <div>
            <dt className="visually-hidden">Cache</dt>
            <dd>
              <span className="badge ok">cached</span>
            </dd>
          </div>
        )
        : null}
    </dl>
  );
}
