import type { ReactNode } from "react";
import type { DesignSpec, Palette } from "../../blueprint/schemas.ts";
import { safeRoleHex } from "../../blueprint/colour.ts";
import { anchorId, safeShadow } from "../../render/format.ts";
import { Block, Diagram, ScrollRegion, StageFrame } from "./parts.tsx";

const NAV_LABELS = { "top-bar": "Top bar", sidebar: "Sidebar", "tab-bar": "Tab bar" } as const;

/** The design stage: principles, tokens, components, screen wireframes, navigation, flows. */
export function DesignView(
  { design, wireframes = {}, palette, features = [], meta }: {
    design: DesignSpec;
    /** Screen id → wireframe SVG from `prepareStageExtras("design", …)`. */
    wireframes?: Record<string, string>;
    /** The brand palette, when the brand stage is done, to colour the token swatches. */
    palette?: Palette;
    /** Product features, when known, to name the features each screen serves. */
    features?: readonly { id: string; title: string }[];
    meta?: ReactNode;
  },
) {
  const screenName = new Map(design.screens.map((screen) => [screen.id, screen.name]));
  const featureTitle = new Map(features.map((feature) => [feature.id, feature.title]));
  const { tokens } = design;
  return (
    <StageFrame
      stage="design"
      title={`${design.screens.length} screens, ${design.components.length} components`}
      meta={meta}
    >
      <Block title="Principles">
        <ol className="grid bp-plain bp-principles">
          {design.principles.map((principle, index) => (
            <li key={index} className="card">
              <h4>{principle.title}</h4>
              <p>{principle.description}</p>
            </li>
          ))}
        </ol>
      </Block>

      <Block title="Tokens">
        <div className="bp-tokens">
          <ScrollRegion className="bp-table" label="Spacing tokens">
            <table>
              <caption>Spacing</caption>
              <tbody>
                {tokens.spacing.map((token, index) => (
                  <tr key={index}>
                    <th scope="row">{token.token}</th>
                    <td>{token.px}px</td>
                    <td>
                      <span
                        className="bp-bar"
                        style={{ width: Math.min(Math.max(token.px, 1), 160) }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <ScrollRegion className="bp-table" label="Radius and elevation tokens">
            <table>
              <caption>Radius and elevation</caption>
              <tbody>
                {tokens.radius.map((token, index) => (
                  <tr key={`r${index}`}>
                    <th scope="row">{token.token}</th>
                    <td>{token.px}px</td>
                    <td>
                      <span
                        className="bp-tile"
                        style={{ borderRadius: Math.min(Math.max(token.px, 0), 20) }}
                      />
                    </td>
                  </tr>
                ))}
                {tokens.elevation.map((token, index) => (
                  <tr key={`e${index}`}>
                    <th scope="row">{token.token}</th>
                    <td>
                      <code>{token.shadow}</code>
                    </td>
                    <td>
                      <span className="bp-tile" style={{ boxShadow: safeShadow(token.shadow) }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <ScrollRegion className="bp-table" label="Motion tokens">
            <table>
              <caption>Motion</caption>
              <tbody>
                {tokens.motion.map((token, index) => (
                  <tr key={index}>
                    <th scope="row">{token.token}</th>
                    <td>{token.durationMs}ms</td>
                    <td>
                      <code>{token.easing}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </div>
        <h4>Colour</h4>
        <ul className="bp-plain bp-colours">
          {tokens.colors.map((token, index) => (
            <li key={index}>
              {palette
                ? (
                  <span
                    className="bp-dot"
                    style={{ background: safeRoleHex(palette, token.role) }}
                    aria-hidden="true"
                  />
                )
                : null}
              <strong>{token.token}</strong> <span className="muted">{token.role}</span>
            </li>
          ))}
        </ul>
      </Block>

      <Block title="Components">
        <ul className="grid bp-plain bp-components">
          {design.components.map((component, index) => (
            <li key={index} className="card">
              <h4>{component.name}</h4>
              <p>{component.purpose}</p>
              {component.variants.length
                ? (
                  <ul className="chips" aria-label="Variants">
                    {component.variants.map((variant, i) => (
                      <li key={i} className="chip">{variant}</li>
                    ))}
                  </ul>
                )
                : null}
            </li>
          ))}
        </ul>
      </Block>

      <Block title="Screens">
        <ul className="bp-plain bp-screens">
          {design.screens.map((screen, index) => (
            <li key={index} id={anchorId("screen", screen.id)} className="card bp-screen">
              <Diagram svg={wireframes[screen.id]} className="bp-wire" />
              <div>
                <h4>
                  {screen.name} <code>{screen.route}</code>
                </h4>
                <p>{screen.purpose}</p>
                <p>
                  <span className="muted">Primary action:</span>{" "}
                  <strong>{screen.primaryAction}</strong>
                </p>
                <ul className="chips" aria-label="Sections">
                  {screen.sections.map((section, index) => (
                    <li key={index} className="chip">{section}</li>
                  ))}
                </ul>
                {screen.features.length
                  ? (
                    <p className="bp-serves">
                      <span className="muted">Serves:</span>{" "}
                      {screen.features.map((id, i) => (
                        <span key={i}>
                          {i ? ", " : ""}
                          <a href={`#${anchorId("feature", id)}`}>{featureTitle.get(id) ?? id}</a>
                        </span>
                      ))}
                    </p>
                  )
                  : null}
              </div>
            </li>
          ))}
        </ul>
      </Block>

      <Block title="Navigation">
        <p>
          <span className="badge">{NAV_LABELS[design.navigation.pattern]}</span>
        </p>
        <ol className="chips bp-nav">
          {design.navigation.items.map((item, index) => (
            <li key={index}>
              <a className="chip" href={`#${anchorId("screen", item.screenId)}`}>{item.label}</a>
            </li>
          ))}
        </ol>
      </Block>

      <Block title="Key flows" when={design.flows.length > 0}>
        {design.flows.map((flow, index) => (
          <section key={index} className="bp-flow">
            <h4>{flow.name}</h4>
            <p className="muted">{flow.goal}</p>
            <ol className="bp-steps">
              {flow.steps.map((step, index) => (
                <li key={index}>
                  <strong>{screenName.get(step.screenId) ?? step.screenId}</strong>
                  <span>{step.action}</span>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </Block>
    </StageFrame>
  );
}
