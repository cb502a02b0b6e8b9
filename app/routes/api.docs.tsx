import type { MetaFunction } from "@remix-run/react";
import { json } from "@remix-run/server-runtime";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { apiDocs } from "../api/docs.server.ts";
import type { DocEndpoint } from "../api/docs.server.ts";

export const meta: MetaFunction = () => [
  { title: "API v1 reference — Atlas9" },
  { name: "description", content: "Endpoints, errors and schemas of the Atlas9 JSON API." },
];

export function loader() {
  return json(apiDocs());
}

/** Inline `code` and **bold** of the document's descriptions (a tiny Markdown subset). */
function Inline({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    parts.push(
      match[1] !== undefined
        ? <code key={match.index}>{match[1]}</code>
        : <strong key={match.index}>{match[2]}</strong>,
    );
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

/** Paragraphs and "- " lists of a description. */
function Prose({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/);
  return (
    <>
      {blocks.map((block, i) => {
        const items = block.split(/\n(?=- )/);
        if (items[0].startsWith("- ")) {
          return (
            <ul key={i}>
              {items.map((item, j) => (
                <li key={j}>
                  <Inline text={item.slice(2).replace(/\s*\n\s*/g, " ")} />
                </li>
              ))}
            </ul>
          );
        }
        return (
          <p key={i}>
            <Inline text={block.replace(/\s*\n\s*/g, " ")} />
          </p>
        );
      })}
    </>
  );
}

function SchemaLink({ name }: { name: string | null }) {
  return name ? <a href={`#schema-${name}`}>{name}</a> : <span className="muted">—</span>;
}

function Endpoint({ endpoint }: { endpoint: DocEndpoint }) {
  return (
    <section className="card" id={endpoint.id} aria-labelledby={`${endpoint.id}-title`}>
      <h3 id={`${endpoint.id}-title`}>
        <code>{`${endpoint.method} ${endpoint.path}`}</code> — {endpoint.summary}
      </h3>
      <p className="muted">{endpoint.auth ? "Bearer token required." : "No token needed."}</p>
      {endpoint.description ? <Prose text={endpoint.description} /> : null}
      {endpoint.parameters.length > 0
        ? (
          <table>
            <caption>Parameters</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">In</th>
                <th scope="col">Schema</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {endpoint.parameters.map((p) => (
                <tr key={`${p.in}-${p.name}`}>
                  <td>
                    <code>{p.name}</code>
                    {p.required ? " (required)" : ""}
                  </td>
                  <td>{p.in}</td>
                  <td>{p.schema}</td>
                  <td>
                    <Inline text={p.description} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
        : null}
      {endpoint.requestSchema
        ? (
          <p>
            Body (JSON): <SchemaLink name={endpoint.requestSchema} />
          </p>
        )
        : null}
      <table>
        <caption>Responses</caption>
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Meaning</th>
            <th scope="col">Body</th>
          </tr>
        </thead>
        <tbody>
          {endpoint.responses.map((r) => (
            <tr key={r.status}>
              <td>{r.status}</td>
              <td>
                <Inline text={r.description} />
              </td>
              <td>
                <SchemaLink name={r.schema} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function ApiReference() {
  const docs = useLoaderData<typeof loader>();
  return (
    <article className="api-docs">
      <h1>
        {docs.title} <span className="muted">v{docs.version}</span>
      </h1>
      <p>
        The machine-readable description is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
        {" "}
        (OpenAPI 3.1); generate a client from it.
      </p>
      <Prose text={docs.description} />
      <nav aria-label="Endpoints">
        <ul>
          {docs.tags.flatMap((tag) =>
            tag.endpoints.map((e) => (
              <li key={e.id}>
                <a href={`#${e.id}`}>
                  <code>{`${e.method} ${e.path}`}</code>
                </a>{" "}
                {e.summary}
              </li>
            ))
          )}
        </ul>
      </nav>
      {docs.tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${tag.name}`}>
          <h2 id={`tag-${tag.name}`}>{tag.name}</h2>
          <p className="muted">{tag.description}</p>
          {tag.endpoints.map((e) => <Endpoint key={e.id} endpoint={e} />)}
        </section>
      ))}
      <section aria-labelledby="schemas">
        <h2 id="schemas">Schemas</h2>
        {docs.schemas.map((schema) => (
          <details key={schema.name} id={`schema-${schema.name}`}>
            <summary>
              <code>{schema.name}</code>
            </summary>
            {schema.json ? <pre><code>{schema.json}</code></pre> : (
              <p className="muted">
                {Math.round(schema.bytes / 1024)} KB of JSON Schema: read it in{" "}
                <a href="/api/v1/openapi.json">the document</a>.
              </p>
            )}
          </details>
        ))}
      </section>
    </article>
  );
}
