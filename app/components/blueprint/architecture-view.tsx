import type { ReactNode } from "react";
import type { ArchitectureSpec, MessageField } from "../../blueprint/schemas.ts";
import { Block, Diagram, ScrollRegion, StageFrame } from "./parts.tsx";

/** Field names, optional ones marked `?` (types are in the diagram and the export). */
function Fields({ fields }: { fields: readonly MessageField[] }) {
  if (!fields.length) return <span className="muted">no body</span>;
  return (
    <code className="bp-fields">
      {fields.map((field) => `${field.name}${field.required ? "" : "?"}`).join(", ")}
    </code>
  );
}

/** The architecture stage: stack, services, the data model as a diagram, endpoints, operations. */
export function ArchitectureView(
  { architecture, erSvg, meta }: {
    architecture: ArchitectureSpec;
    /** From `prepareStageExtras("architecture", …)`. */
    erSvg?: string;
    meta?: ReactNode;
  },
) {
  const { dataModel, deployment } = architecture;
  return (
    <StageFrame
      stage="architecture"
      title={`${dataModel.entities.length} entities, ${architecture.endpoints.length} endpoints`}
      meta={meta}
    >
      <Block title="Stack">
        <ul className="grid bp-plain">
          {architecture.stack.map((layer, index) => (
            <li key={index} className="card bp-layer">
              <span className="bp-kicker">{layer.layer}</span>
              <h4>{layer.choice}</h4>
              <p>{layer.rationale}</p>
            </li>
          ))}
        </ul>
      </Block>

      <Block title="Services">
        <dl className="bp-dl">
          {architecture.services.map((service, index) => (
            <div key={index}>
              <dt>{service.name}</dt>
              <dd>{service.responsibility}</dd>
            </div>
          ))}
        </dl>
      </Block>

      <Block title="Data model">
        <Diagram
          svg={erSvg}
          className="bp-er"
          scrollLabel="Data model diagram"
          caption={`${dataModel.entities.length} entities. Crow’s feet mark the “many” side.`}
        />
        <details className="bp-entities">
          <summary>Entities as text</summary>
          {dataModel.entities.map((entity, entityIndex) => (
            <section key={entityIndex}>
              <h4>{entity.name}</h4>
              <p>{entity.description}</p>
              <ul>
                {entity.fields.map((field, index) => (
                  <li key={index}>
                    <code>{field.name}</code> {field.type}
                    {field.required ? "" : ", optional"}
                    {field.unique ? ", unique" : ""}
                    {field.references ? `, references ${field.references}` : ""}
                  </li>
                ))}
                {entity.relations.map((relation, index) => (
                  <li key={`rel${index}`}>
                    {relation.kind} {relation.target}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </details>
      </Block>

      <Block title="API endpoints">
        <ScrollRegion className="bp-table" label="API endpoints">
          <table className="bp-endpoints">
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Path</th>
                <th scope="col">Purpose</th>
                <th scope="col">Entity</th>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {architecture.endpoints.map((endpoint, index) => (
                <tr key={index}>
                  <td>
                    <span className={`bp-method bp-${endpoint.method}`}>{endpoint.method}</span>
                  </td>
                  <td>
                    <code>{endpoint.path}</code>
                  </td>
                  <td>{endpoint.purpose}</td>
                  <td>{endpoint.entity}</td>
                  <td>
                    <Fields fields={endpoint.request.fields} />
                  </td>
                  <td title={endpoint.response.description}>{endpoint.response.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Block>

      <div className="bp-cols">
        <Block title="Integrations" when={architecture.integrations.length > 0}>
          <dl className="bp-dl">
            {architecture.integrations.map((integration, index) => (
              <div key={index}>
                <dt>{integration.name}</dt>
                <dd>{integration.purpose}</dd>
              </div>
            ))}
          </dl>
        </Block>
        <Block title="Deployment">
          <p>
            <strong>{deployment.target}</strong> — {deployment.description}
          </p>
          <ul className="chips" aria-label="Environments">
            {deployment.environments.map((env, index) => <li key={index} className="chip">{env}
            </li>)}
          </ul>
        </Block>
      </div>

      <Block title="Non-functional requirements">
        <dl className="bp-dl">
          {architecture.nonFunctional.map((item, index) => (
            <div key={index}>
              <dt>
                <span className="badge">{item.category}</span>
              </dt>
              <dd>{item.requirement}</dd>
            </div>
          ))}
        </dl>
      </Block>

      <Block title="Decisions">
        <ol className="bp-plain bp-decisions">
          {architecture.decisions.map((decision, index) => (
            <li key={index} className="card">
              <h4>{decision.title}</h4>
              <p>
                <span className="muted">Chosen:</span> <strong>{decision.choice}</strong>
              </p>
              <p>{decision.rationale}</p>
            </li>
          ))}
        </ol>
      </Block>
    </StageFrame>
  );
}
