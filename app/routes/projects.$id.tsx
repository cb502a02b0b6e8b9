import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { defer, json, redirect } from "@remix-run/server-runtime";
import { Await, Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Suspense } from "react";
import { requireUser, withUser } from "../http/auth.server.ts";
import { loadProjectView, projectAction } from "../projects/view.server.ts";
import type { StageName } from "../blueprint/stages.ts";
import { isStageName, STAGE_NAMES } from "../blueprint/stages.ts";
import { StageSection } from "../components/stage-section.tsx";
import { useGenerationStream } from "../components/live.tsx";
import type { CompareRequest } from "../projects/view.server.ts";
import { stageSections } from "../components/stage-html.server.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.project.title} — Atlas9` : "Project — Atlas9" },
  { name: "description", content: data ? data.project.directive : "An Atlas9 blueprint." },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { data: view } = await withUser(request, context, (userId) =>
    loadProjectView({
      services: context.services,
      projectId: params.id!,
      userId,
      selected: parseSelected(url.searchParams),
      compare: parseCompare(url.searchParams),
    }));
  if (!view) throw new Response("Not found", { status: 404 });
  return defer({
    project: view.project,
    running: view.running,
    failed: view.failed,
    staleStages: view.staleStages,
    history: view.history,
    compare: view.compare,
    // Each stage's view is markup rendered here once: in the page, not again as data.
    stages: view.stages.then((stages) =>
      stageSections(stages, {
        latestBrand: view.latestBrand,
        outputs: view.outputs,
        search: url.searchParams,
        document: context.document,
        serverHtml: context.serverHtml,
      })
    ),
  });
}

/** `?compare=brand:1..2`, or `?compare=brand&from=1&to=2` from the compare form. */
function parseCompare(params: URLSearchParams): CompareRequest | null {
  const raw = params.get("compare") ?? "";
  const short = /^([a-z]+):(\d{1,6})\.\.(\d{1,6})$/.exec(raw);
  const [stage, from, to] = short
    ? [short[1], short[2], short[3]]
    : [raw, params.get("from") ?? "", params.get("to") ?? ""];
  if (!isStageName(stage) || !/^\d{1,6}$/.test(from) || !/^\d{1,6}$/.test(to)) return null;
  return { stage, from: Number(from), to: Number(to) };
}

function parseSelected(params: URLSearchParams): Partial<Record<StageName, number>> {
  const selected: Partial<Record<StageName, number>> = {};
  for (const stage of STAGE_NAMES) {
    const raw = params.get(stage);
    if (raw && /^\d{1,6}$/.test(raw)) selected[stage] = Number(raw);
  }
  return selected;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const result = await projectAction(await request.formData(), {
    services: context.services,
    projectId: params.id!,
    userId: user.id,
  });
  if (result.kind === "not-found") throw new Response("Not found", { status: 404 });
  if (result.kind === "deleted") return redirect("/projects");
  if (result.kind === "error") return json({ error: result.message }, { status: result.status });
  return redirect(`/projects/${params.id}`);
}

export default function ProjectPage() {
  const data = useLoaderData<typeof loader>();
  const { project, running, failed, staleStages, history, compare } = data;
  const live = useGenerationStream(project.id, running);
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <article aria-labelledby="project-title">
      {running
        ? (
          <noscript>
            <meta httpEquiv="refresh" content="2" />
          </noscript>
        )
        : null}
      <header className="project-header">
        <p className="muted" style={{ margin: 0 }}>
          <Link to="/projects">Projects</Link> /
        </p>
        <h1 id="project-title">{project.title}</h1>
        <p className="lede">{project.directive}</p>
        <p className="project-status" role="status" aria-live="polite">
          {running
            ? "Generating… stages appear below as they complete."
            : failed
            ? "Some stages failed. Retry to continue where it stopped."
            : "Blueprint complete."}
          <span className="visually-hidden">{live.announcement}</span>
        </p>
        <div className="project-actions">
          <Form method="post">
            <input type="hidden" name="intent" value="visibility" />
            <input
              type="hidden"
              name="visibility"
              value={project.visibility === "public" ? "private" : "public"}
            />
            <button type="submit" className="secondary" disabled={busy}>
              {project.visibility === "public" ? "Make private" : "Make public"}
            </button>
          </Form>
          {project.visibility === "public"
            ? <Link className="button secondary" to={`/p/${project.slug}`}>Public page</Link>
            : null}
          <a className="button secondary" href={`/projects/${project.id}/export.md`}>
            Export Markdown
          </a>
          <a className="button secondary" href={`/projects/${project.id}/export.zip`}>
            Download zip
          </a>
          {failed && !running
            ? (
              <Form method="post">
                <input type="hidden" name="intent" value="retry" />
                <button type="submit" disabled={busy}>Retry failed stages</button>
              </Form>
            )
            : null}
          <details className="danger-zone">
            <summary>Delete…</summary>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <label>
                <input type="checkbox" name="confirm" value="yes" required />{" "}
                Yes, delete this project
              </label>
              <button type="submit" className="danger" disabled={busy}>Delete project</button>
            </Form>
          </details>
        </div>
      </header>
      <Suspense fallback={<StageSkeletons />}>
        <Await resolve={data.stages}>
          {(stages) =>
            STAGE_NAMES.map((stage) => (
              <StageSection
                key={stage}
                stage={stage}
                view={stages[stage] ?? null}
                live={live.stages[stage]}
                running={running}
                stale={staleStages.includes(stage)}
                history={history[stage] ?? []}
                compare={compare?.stage === stage ? compare : null}
              />
            ))}
        </Await>
      </Suspense>
    </article>
  );
}

function StageSkeletons() {
  return (
    <>
      {STAGE_NAMES.map((stage) => (
        <StageSection
          key={stage}
          stage={stage}
          view={null}
          running
          stale={false}
          history={[]}
        />
      ))}
    </>
  );
}
