import type { ReactNode } from "react";
import type { Feature, ProductSpec } from "../../blueprint/schemas.ts";
import { anchorId, storyOpening } from "../../render/format.ts";
import { Block, ScrollRegion, StageFrame, TextList } from "./parts.tsx";

const PRIORITY_LABELS = {
  P0: "Must have",
  P1: "Should have",
  P2: "Nice to have",
} as const;

function FeatureCard({ feature }: { feature: Feature }) {
  const stories = feature.userStories;
  return (
    <li className="bp-feature card" id={anchorId("feature", feature.id)}>
      <h5>
        {feature.title} <span className={`badge bp-${feature.priority}`}>{feature.priority}</span>
      </h5>
      <p>{feature.description}</p>
      <details>
        <summary>
          {stories.length} user {stories.length === 1 ? "story" : "stories"}
        </summary>
        <ol className="bp-stories">
          {stories.map((story, index) => (
            <li key={index}>
              <p>
                <span className="muted">{storyOpening(story.asA)}</span> {story.asA},{" "}
                <span className="muted">I want</span> {story.iWant},{" "}
                <span className="muted">so that</span> {story.soThat}
              </p>
              <TextList items={story.acceptanceCriteria} className="bp-checks" />
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}

/** The product stage: the problem, who it is for, and features by priority. */
export function ProductView(
  { product, meta }: { product: ProductSpec; meta?: ReactNode },
) {
  const tiers = (["P0", "P1", "P2"] as const).map((priority) => ({
    priority,
    features: product.features.filter((feature) => feature.priority === priority),
  })).filter((tier) => tier.features.length > 0);
  return (
    <StageFrame stage="product" title={product.workingName} meta={meta}>
      <p className="lede">{product.oneLiner}</p>
      <div className="bp-cols">
        <Block title="The problem">
          <p>{product.problem}</p>
        </Block>
        <Block title="Who it is for">
          <p>{product.targetUsers}</p>
        </Block>
      </div>
      <Block title="Personas">
        <ul className="grid bp-plain">
          {product.personas.map((persona, index) => (
            <li key={index} className="card bp-persona">
              <span className="bp-avatar" aria-hidden="true">
                {Array.from(persona.name)[0]?.toUpperCase()}
              </span>
              <h4>{persona.name}</h4>
              <p>{persona.description}</p>
              <TextList items={persona.goals} className="bp-checks" />
            </li>
          ))}
        </ul>
      </Block>
      <div className="bp-cols">
        <Block title="Goals">
          <ol>
            {product.goals.map((goal, index) => <li key={index}>{goal}</li>)}
          </ol>
        </Block>
        <Block title="Not in scope" when={product.nonGoals.length > 0}>
          <TextList items={product.nonGoals} className="bp-nots" />
        </Block>
      </div>
      <Block title="Features">
        {tiers.map((tier) => (
          <section key={tier.priority} className="bp-tier">
            <h4>
              {PRIORITY_LABELS[tier.priority]}{" "}
              <span className="muted">
                ({tier.priority}, {tier.features.length})
              </span>
            </h4>
            <ul className="bp-plain bp-features">
              {tier.features.map((feature, index) => <FeatureCard key={index} feature={feature} />)}
            </ul>
          </section>
        ))}
      </Block>
      <Block title="Success metrics">
        <ul className="grid bp-plain">
          {product.successMetrics.map((metric, index) => (
            <li key={index} className="card bp-metric">
              <strong>{metric.name}</strong>
              <span>{metric.target}</span>
            </li>
          ))}
        </ul>
      </Block>
      <Block title="Competitive landscape" when={product.competitors.length > 0}>
        <ScrollRegion className="bp-table" label="Competitive landscape">
          <table>
            <thead>
              <tr>
                <th scope="col">Competitor</th>
                <th scope="col">Their angle</th>
                <th scope="col">How we differ</th>
              </tr>
            </thead>
            <tbody>
              {product.competitors.map((competitor, index) => (
                <tr key={index}>
                  <th scope="row">{competitor.name}</th>
                  <td>{competitor.angle}</td>
                  <td>{competitor.differentiation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Block>
      <Block title="Risks" when={product.risks.length > 0}>
        <ScrollRegion className="bp-table" label="Risks">
          <table>
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col">Mitigation</th>
              </tr>
            </thead>
            <tbody>
              {product.risks.map((risk, index) => (
                <tr key={index}>
                  <td>{risk.risk}</td>
                  <td>{risk.mitigation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Block>
      <Block title="Open questions" when={product.openQuestions.length > 0}>
        <TextList items={product.openQuestions} />
      </Block>
    </StageFrame>
  );
}
