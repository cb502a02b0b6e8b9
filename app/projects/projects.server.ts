import { z } from "zod";
import type { Services } from "../server/services.server.ts";
import type { Project } from "../db/repositories/projects.server.ts";
import { checkGenerationLimit, generationRefusal } from "./use-cases.server.ts";
import type { Limit } from "./use-cases.server.ts";
import { titleFromDirective } from "../blueprint/title.ts";
import { recordWrite } from "../observability/health.server.ts";
import { isStorageFullError } from "../db/errors.ts";
import { isStorageFullResponse } from "../http/unavailable.server.ts";
import type { CreateErrorCode } from "../blueprint/refusals.ts";
import type { Env } from "../config/env.server.ts";
import { directiveProblem } from "../llm/offline/edges.ts";
import {
  checkProjectCreate,
  countProjectCreated,
  minutesText,
  PROJECT_CREATE_LIMIT,
} from "../http/abuse-limits.server.ts";
import { slugify } from "../blueprint/ids.ts";

/** Directive rules (docs/architecture.md §5.2, issue 3): 3–400 characters after trimming. */
export const directiveSchema = z.string({ error: "Write a directive." })
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(
    z.string()
      .min(3, { error: "A directive needs at least 3 characters." })
      .max(400, { error: "A directive can have at most 400 characters." }),
  );

/** Creation input shared by the form and the API. */
export const newProjectSchema = z.object({
  directive: directiveSchema,
  visibility: z.enum(["private", "public"]).default("private"),
});

/** What creating a project came to; a refusal carries its message in the user's words. */
export type CreateResult =
  | { kind: "created"; project: Project }
  | {
    kind: "invalid";
    directive: string;
    message: string;
    status: 400 | 422;
    code: Exclude<CreateErrorCode, "generation_limit" | "project_limit">;
  }
  | {
    /** Too many projects created in the last hour. */
    kind: "throttled";
    directive: string;
    message: string;
    code: "project_limit";
    /** Seconds until a retry can succeed. */
    retryAfterSeconds: number;
  }
  | (Limit & { directive: string; code: "generation_limit" });

/** A refused creation. */
export type CreateRefusal = Exclude<CreateResult, { kind: "created" }>;

/** A URL-safe slug from a title plus a random suffix, so slugs never collide. */
export function makeSlug(title: string): string {
  const base = slugify(title, "blueprint", 40);
  const suffix = Array.from(
    crypto.getRandomValues(new Uint8Array(4)),
    (b) => b.toString(36).padStart(2, "0"),
  ).join("").slice(0, 6);
  return `${base}-${suffix}`;
}

/**
 * Issue 11's honest edges: no recognisable product is refused whatever the providers; another
 * language only when the offline engine is the only provider (an LLM reads other languages).
 */
function refuseDirective(directive: string, env?: Pick<Env, "llm">): CreateResult | null {
  const problem = directiveProblem(directive);
  if (!problem) return null;
  const offlineOnly = !env || env.llm.providers.every((name) => name === "offline");
  if (problem.kind === "non-english" && !offlineOnly) return null;
  return {
    kind: "invalid",
    directive,
    message: problem.message,
    status: 422,
    code: problem.kind === "non-english" ? "directive_language" : "directive_unrecognised",
  };
}

/** Creates a project and starts its generation. */
export async function createProject(
  input: { userId: string; directive: string; visibility?: "private" | "public" },
  services: Pick<Services, "repos" | "pipeline" | "kv" | "generationLimit"> & {
    env?: Pick<Env, "llm">;
  },
): Promise<CreateResult> {
  const parsed = newProjectSchema.safeParse(input);
  if (!parsed.success) {
    return {
      kind: "invalid",
      directive: String(input.directive ?? "").slice(0, 400),
      message: parsed.error.issues[0]?.message ?? "Invalid directive.",
      status: 400,
      code: "directive_length",
    };
  }
  const { directive, visibility } = parsed.data;
  const refusal = refuseDirective(directive, services.env);
  if (refusal) return refusal;
  const allowance = await checkProjectCreate(services.kv, input.userId);
  if (!allowance.allowed) {
    return {
      kind: "throttled",
      directive,
      message: `You have created ${PROJECT_CREATE_LIMIT.limit} projects in the last hour. ` +
        `Try again in ${minutesText(allowance.retryAfterSeconds)}.`,
      code: "project_limit",
      retryAfterSeconds: allowance.retryAfterSeconds,
    };
  }
  // Over the generation limit, nothing is written: the project would only be deleted again.
  const overLimit = await checkGenerationLimit(services, input.userId);
  if (overLimit) return { ...overLimit, directive, code: "generation_limit" };
  const title = titleFromDirective(directive);
  let project: Project;
  try {
    project = await services.repos.projects.create({
      userId: input.userId,
      directive,
      title,
      slug: makeSlug(title),
      visibility,
    });
    recordWrite(services.kv, "db", true);
  } catch (error) {
    // Only a full disk counts: an unreachable database is health's ping's to report, and
    // must not keep health failing after it comes back.
    if (isStorageFullError(error) || isStorageFullResponse(error)) {
      recordWrite(services.kv, "db", false);
    }
    throw error;
  }
  try {
    await services.pipeline.startGeneration({
      projectId: project.id,
      userId: input.userId,
      directive,
    });
  } catch (error) {
    const refusal = generationRefusal(error);
    if (refusal?.kind === "limit") {
      // Another start took the last slot after the check above: the refused project goes.
      await services.repos.projects.delete({ id: project.id, userId: input.userId });
      return { ...refusal, directive, code: "generation_limit" };
    }
    // No job was written (KV refused it, e.g. a full disk): the project must not stay
    // "queued" forever. It is failed, and Retry on its page starts a job (pipeline.retry).
    await services.repos.projects.setStatus({ id: project.id, status: "failed" })
      .catch(() => {});
    throw error;
  }
  await countProjectCreated(services.kv, input.userId).catch(() => {});
  return { kind: "created", project };
}

/** Creates a project from the `directive` field of a form. */
export async function createProjectFromForm(
  form: FormData,
  options: {
    services: Pick<Services, "repos" | "pipeline" | "kv" | "generationLimit"> & {
      env?: Pick<Env, "llm">;
    };
    userId: string;
  },
): Promise<CreateResult> {
  const directive = form.get("directive");
  return await createProject(
    { userId: options.userId, directive: typeof directive === "string" ? directive : "" },
    options.services,
  );
}

/**
 * Where a new account lands: a visitor who wrote a directive before signing up gets its
 * generation started at once and lands on the live project (issue 15 item 8).
 */
export async function startKeptDirective(
  userId: string,
  directive: string | undefined,
  services: Services,
): Promise<string> {
  const kept = directiveSchema.safeParse(directive ?? "");
  if (!kept.success) return "/projects";
  const created = await createProject({ userId, directive: kept.data }, services);
  return created.kind === "created"
    ? `/projects/${created.project.id}`
    : `${refusalLocation(created)}#directive`;
}

/** Where the pages show a refused creation: the landing form, with the directive kept. */
export function refusalLocation(refusal: CreateRefusal): string {
  const params = new URLSearchParams({ directive: refusal.directive, error: refusal.code });
  if (refusal.kind === "limit") params.set("limit", String(refusal.limit));
  return `/?${params}`;
}
