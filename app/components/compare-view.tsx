import { Form, Link } from "@remix-run/react";
import type { StageName } from "../blueprint/stages.ts";
import type { FieldChange } from "../blueprint/compare.ts";
import { STAGE_TITLES } from "../render/format.ts";

/** The comparison the project page shows (built by the loader, see compare.ts). */
export interface CompareData {
  stage: StageName;
  from: number;
  to: number;
  changes: FieldChange[];
  total: number;
}

/**
 * Two versions of one stage side by side, field by field: what changed, what was added and
 * what was removed. A GET form picks other versions (works without JavaScript).
 */
export function CompareView(
  { compare, versions }: { compare: CompareData; versions: readonly number[] },
) {
  const { stage, from, to, changes, total } = compare;
  const title = STAGE_TITLES[stage];
  return (
    <section
      id={`${stage}-compare`}
      className="card compare"
      aria-labelledby={`${stage}-compare-title`}
      tabIndex={-1}
    >
      <h3 id={`${stage}-compare-title`}>
        {`${title}: v${from} compared with v${to}`}
      </h3>
      <Form method="get" className="compare-pick" preventScrollReset>
        <input type="hidden" name="compare" value={stage} />
        <label>
          From{" "}
          <select name="from" defaultValue={from}>
            {versions.map((v) => <option key={v} value={v}>{`v${v}`}</option>)}
          </select>
        </label>
        <label>
          To{" "}
          <select name="to" defaultValue={to}>
            {versions.map((v) => <option key={v} value={v}>{`v${v}`}</option>)}
          </select>
        </label>
        <button type="submit" className="secondary">Compare</button>
        <Link to={`?#${stage}`} className="compare-close">Close comparison</Link>
      </Form>
      <p className="muted" role="status">
        {total === 0
          ? "These versions are identical."
          : `${total} ${total === 1 ? "field differs" : "fields differ"}${
            total > changes.length ? ` (first ${changes.length} shown)` : ""
          }.`}
      </p>
      {changes.length
        ? (
          <div className="bp-table">
            <table className="compare-table">
              <caption className="visually-hidden">
                {`Fields of ${title} that differ between v${from} and v${to}`}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">{`v${from}`}</th>
                  <th scope="col">{`v${to}`}</th>
                </tr>
              </thead>
              <tbody>
                {changes.map((change) => (
                  <tr key={change.field}>
                    <th scope="row">{change.field}</th>
                    <td className={change.before === null ? "compare-none" : "compare-before"}>
                      {change.before ?? "(not present)"}
                    </td>
                    <td className={change.after === null ? "compare-none" : "compare-after"}>
                      {change.after ?? "(not present)"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
        : null}
    </section>
  );
}
