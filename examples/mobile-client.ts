/**
 * A minimal Atlas9 API v1 client, written the way a mobile app would talk to the server:
 * `fetch` only, no SDK. It signs up, creates a project from a directive and prints the
 * stages as they stream in, resuming the stream with `Last-Event-ID` if the connection drops.
 *
 *   deno run --allow-net --allow-env=EMAIL,PASSWORD examples/mobile-client.ts [BASE_URL] [DIRECTIVE]
 *
 * BASE_URL defaults to http://localhost:8000. Set EMAIL and PASSWORD to use a fixed account
 * (it is created if it does not exist, logged in otherwise).
 */

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Record<string, string[]>;
}

interface StreamEvent {
  id: number;
  event: string;
  data: any;
}

/** An API error, carrying the problem+json body. */
class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

const baseUrl = (Deno.args[0] ?? "http://localhost:8000").replace(/\/+$/, "");
const directive = Deno.args[1] ?? "a marketplace where local farmers sell vegetable boxes";
const email = Deno.env.get("EMAIL") ?? `mobile-${crypto.randomUUID().slice(0, 8)}@example.com`;
const password = Deno.env.get("PASSWORD") ?? `pw-${crypto.randomUUID()}`;

/** Calls the API; waits and retries on 429 as Retry-After says; throws ApiError otherwise. */
async function api<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (response.status === 429 && attempt < 3) {
      const wait = Number(response.headers.get("Retry-After") ?? "1");
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    const text = await response.text();
    if (!response.ok) throw new ApiError(JSON.parse(text) as Problem);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Signs up, or logs in when the account already exists; returns a bearer token. */
async function obtainToken(): Promise<string> {
  try {
    const { token } = await api<{ token: string }>("POST", "/api/v1/users", {
      body: { email, password, tokenName: "mobile-client example" },
    });
    console.log(`signed up as ${email}`);
    return token;
  } catch (error) {
    if (!(error instanceof ApiError) || !error.problem.type.endsWith("/email-taken")) throw error;
    const { token } = await api<{ token: string }>("POST", "/api/v1/auth/token", {
      body: { email, password, tokenName: "mobile-client example" },
    });
    console.log(`logged in as ${email}`);
    return token;
  }
}

/** Reads one SSE connection, calling `onEvent` per event; returns when the server closes it. */
async function readStream(response: Response, onEvent: (event: StreamEvent) => void) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue; // heartbeat comment
        const colon = line.indexOf(":");
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, "");
      }
      if (fields.event && fields.data) {
        onEvent({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data) });
      }
    }
  }
}

/** A one-line summary of a stage's output. */
function summarise(stage: string, output: any): string {
  switch (stage) {
    case "product":
      return `${output.workingName} — ${output.oneLiner} (${output.features.length} features)`;
    case "brand":
      return `${output.chosenName}: “${output.tagline}”`;
    case "design":
      return `${output.screens.length} screens, ${output.components.length} components`;
    case "architecture":
      return `${output.dataModel.entities.length} entities, ${output.endpoints.length} endpoints`;
    case "code":
      return `${output.files.length} files, start with ${output.entrypoint}`;
    default:
      return `${Object.keys(output ?? {}).length} fields`;
  }
}

/** Follows the project's events until the generation ends, reconnecting where it left off. */
async function follow(token: string, projectId: string): Promise<boolean> {
  let lastEventId = 0;
  let finished = false;
  for (let attempt = 0; !finished && attempt < 5; attempt++) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: "text/event-stream",
    };
    if (lastEventId > 0) headers["Last-Event-ID"] = String(lastEventId);
    const response = await fetch(`${baseUrl}/api/v1/projects/${projectId}/events`, { headers });
    if (!response.ok) throw new ApiError(await response.json());
    try {
      await readStream(response, ({ id, event, data }) => {
        lastEventId = id;
        if (event === "stage.started") {
          console.log(`[${data.stage}] started on ${data.provider}/${data.model}`);
        } else if (event === "stage.completed") {
          const cost = data.usage.costUsd.toFixed(4);
          console.log(
            `[${data.stage}] completed v${data.version}: ${summarise(data.stage, data.output)}` +
              ` (${Math.round(data.usage.durationMs)} ms, $${cost})`,
          );
        } else if (event === "stage.failed") {
          console.log(`[${data.stage}] failed: ${data.error.message}`);
          finished = true;
        } else if (event === "generation.completed") {
          console.log(
            `generation completed in ${data.durationMs} ms, $${data.costUsd.toFixed(4)}`,
          );
          finished = true;
        }
      });
    } catch (error) {
      console.log(`stream interrupted (${(error as Error).message}); resuming…`);
    }
  }
  return finished;
}

async function main(): Promise<number> {
  const token = await obtainToken();
  const project = await api<{ id: string; title: string }>("POST", "/api/v1/projects", {
    token,
    body: { directive },
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  console.log(`created project ${project.id} from “${directive}”`);
  if (!await follow(token, project.id)) {
    console.error("the stream ended before the generation did");
    return 1;
  }
  const final = await api<{ title: string; status: string; stages: Record<string, unknown> }>(
    "GET",
    `/api/v1/projects/${project.id}`,
    { token },
  );
  console.log(
    `project “${final.title}” is ${final.status} with stages ${
      Object.keys(final.stages).join(", ")
    }`,
  );
  return 0;
}

try {
  Deno.exit(await main());
} catch (error) {
  console.error(error instanceof ApiError ? error.message : error);
  Deno.exit(1);
}
