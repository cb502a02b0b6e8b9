/**
 * The operations of API v1 (docs/architecture.md §7). Routes validate with exactly these schemas and the
 * OpenAPI document is generated from this table, so the two cannot disagree.
 */
import type { z } from "zod";
import type { ProblemType } from "./problems.ts";
import {
  createProjectRequest,
  eventsQuery,
  generationList,
  generationsQuery,
  idempotencyKeyHeader,
  lastEventIdHeader,
  listProjectsQuery,
  logInRequest,
  projectIdParam,
  projectPage,
  projectResource,
  regenerationAccepted,
  signUpRequest,
  signUpResponse,
  slugParam,
  stageParam,
  tokenResponse,
  updateProjectRequest,
} from "./schemas.ts";

/** HTTP methods API v1 routes answer (HEAD is answered as GET). */
export type ApiMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One documented response of an operation. */
export interface ResponseSpec {
  description: string;
  /** A registered response schema (schemas.ts). */
  schema?: z.ZodType;
  /** Defaults to application/json when a schema is given. */
  contentType?: "application/json" | "text/event-stream";
  /** Response headers worth documenting, beyond the RateLimit-* every response has. */
  headers?: ("ETag" | "Location" | "Cache-Control" | "Idempotent-Replayed")[];
}

/** One request header an operation reads. */
export interface HeaderSpec {
  name: string;
  schema: z.ZodType<string | undefined, string>;
  required?: boolean;
}

/** One operation: what it accepts, what it answers, who may call it. */
export interface Operation {
  id: string;
  method: ApiMethod;
  /** OpenAPI path template, e.g. `/api/v1/projects/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tag: "Accounts" | "Projects" | "Public" | "Meta";
  /** Whether a bearer token is required. */
  auth: boolean;
  /** Path parameters; a value that does not match is a 404 (no such resource). */
  params?: Record<string, z.ZodType<string, string>>;
  query?: z.ZodObject;
  headers?: readonly HeaderSpec[];
  /** A registered request schema; the body must be JSON. */
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
  /** Problem types this operation may answer besides those every operation may. */
  problems: readonly ProblemType[];
}

/** Problems any operation may answer. */
export const COMMON_PROBLEMS: readonly ProblemType[] = ["rate-limited", "internal"];

/** Problems of every operation that takes a token. */
export const AUTH_PROBLEMS: readonly ProblemType[] = ["unauthorized", "invalid-token"];

/** Problems of every operation that reads a JSON body. */
export const BODY_PROBLEMS: readonly ProblemType[] = [
  "malformed-json",
  "unsupported-media-type",
  "payload-too-large",
  "validation",
];

const projectParams = { id: projectIdParam };

function op<const O extends Operation>(operation: O): O {
  return operation;
}

/** Every operation of API v1, by operation id. */
export const operations = {
  signUp: op({
    id: "signUp",
    method: "POST",
    path: "/api/v1/users",
    summary: "Sign up",
    description: "Creates an account and returns it with a new bearer token. " +
      "Limited to 10 sign-ups per hour per client IP.",
    tag: "Accounts",
    auth: false,
    body: signUpRequest,
    responses: {
      201: { description: "The account and its first token.", schema: signUpResponse },
    },
    problems: ["email-taken"],
  }),
  logIn: op({
    id: "logIn",
    method: "POST",
    path: "/api/v1/auth/token",
    summary: "Log in",
    description: "Checks email and password and issues a new bearer token. Attempts are " +
      "throttled per client IP and per account (429 with Retry-After).",
    tag: "Accounts",
    auth: false,
    body: logInRequest,
    responses: { 200: { description: "A new token.", schema: tokenResponse } },
    problems: ["invalid-credentials"],
  }),
  revokeToken: op({
    id: "revokeToken",
    method: "DELETE",
    path: "/api/v1/auth/token",
    summary: "Log out",
    description: "Revokes the token that authenticates this request.",
    tag: "Accounts",
    auth: true,
    responses: { 204: { description: "The token no longer works." } },
    problems: [],
  }),
  listProjects: op({
    id: "listProjects",
    method: "GET",
    path: "/api/v1/projects",
    summary: "List your projects",
    description: "Newest first. Pass `nextCursor` back as `cursor` for the next page; the " +
      "pages neither repeat nor skip projects while new ones are created.",
    tag: "Projects",
    auth: true,
    query: listProjectsQuery,
    responses: {
      200: { description: "One page.", schema: projectPage, headers: ["ETag"] },
      304: { description: "Not modified (If-None-Match).", headers: ["ETag"] },
    },
    problems: ["invalid-parameter"],
  }),
  createProject: op({
    id: "createProject",
    method: "POST",
    path: "/api/v1/projects",
    summary: "Create a project",
    description: "Creates a project and starts generating its blueprint; follow it on " +
      "`/api/v1/projects/{id}/events`. With `Idempotency-Key`, a retry with the same key " +
      "and body returns the first response without starting a second generation.",
    tag: "Projects",
    auth: true,
    headers: [{ name: "Idempotency-Key", schema: idempotencyKeyHeader }],
    body: createProjectRequest,
    responses: {
      201: {
        description: "Created; generation started.",
        schema: projectResource,
        headers: ["Location", "Idempotent-Replayed"],
      },
    },
    problems: [
      "invalid-parameter",
      "idempotency-in-progress",
      "idempotency-key-reused",
      "generation-limit",
    ],
  }),
  getProject: op({
    id: "getProject",
    method: "GET",
    path: "/api/v1/projects/{id}",
    summary: "Get a project",
    description: "The project with the latest output of each stage generated so far.",
    tag: "Projects",
    auth: true,
    params: projectParams,
    responses: {
      200: { description: "The project.", schema: projectResource, headers: ["ETag"] },
      304: { description: "Not modified (If-None-Match).", headers: ["ETag"] },
    },
    problems: ["not-found"],
  }),
  updateProject: op({
    id: "updateProject",
    method: "PATCH",
    path: "/api/v1/projects/{id}",
    summary: "Rename a project or change its visibility",
    tag: "Projects",
    auth: true,
    params: projectParams,
    body: updateProjectRequest,
    responses: { 200: { description: "The updated project.", schema: projectResource } },
    problems: ["not-found"],
  }),
  deleteProject: op({
    id: "deleteProject",
    method: "DELETE",
    path: "/api/v1/projects/{id}",
    summary: "Delete a project",
    description: "Stops its generation and deletes it with every version.",
    tag: "Projects",
    auth: true,
    params: projectParams,
    responses: { 204: { description: "Deleted." } },
    problems: ["not-found"],
  }),
  projectEvents: op({
    id: "projectEvents",
    method: "GET",
    path: "/api/v1/projects/{id}/events",
    summary: "Follow a generation",
    description: "Server-sent events of the project's latest generation (`status`, " +
      "`stage.started`, `stage.delta`, `stage.completed`, `stage.failed`, " +
      "`generation.completed`), each with an `id`. Reconnect with `Last-Event-ID` to resume " +
      "without missing or repeating events. A comment is sent at least every 15 s; the " +
      "stream ends when the generation does. A reconnect once the generation has ended and " +
      "the client has every event answers 204, which tells EventSource clients to stop.",
    tag: "Projects",
    auth: true,
    params: projectParams,
    query: eventsQuery,
    headers: [{ name: "Last-Event-ID", schema: lastEventIdHeader }],
    responses: {
      200: {
        description: "The event stream; each event's data matches GenerationEvent.",
        contentType: "text/event-stream",
      },
      204: { description: "The generation has ended and every event was already received." },
    },
    problems: ["not-found", "invalid-parameter"],
  }),
  regenerateStage: op({
    id: "regenerateStage",
    method: "POST",
    path: "/api/v1/projects/{id}/stages/{stage}/regenerate",
    summary: "Regenerate one stage",
    description: "Generates a new version of one stage; when it lands, the stages that " +
      "depend on it are marked stale. Follow it on the event stream.",
    tag: "Projects",
    auth: true,
    params: { id: projectIdParam, stage: stageParam },
    responses: {
      202: { description: "Started.", schema: regenerationAccepted, headers: ["Location"] },
    },
    problems: ["not-found", "generation-running", "generation-limit"],
  }),
  listGenerations: op({
    id: "listGenerations",
    method: "GET",
    path: "/api/v1/projects/{id}/generations",
    summary: "Version history",
    description: "Every version of every stage (or of one `stage`) with usage, paged with " +
      "`cursor` and `limit` (default 50). Outputs are left out unless `include=output` " +
      "(the project resource carries the latest outputs).",
    tag: "Projects",
    auth: true,
    params: projectParams,
    query: generationsQuery,
    responses: {
      200: { description: "The versions.", schema: generationList, headers: ["ETag"] },
      304: { description: "Not modified (If-None-Match).", headers: ["ETag"] },
    },
    problems: ["not-found", "invalid-parameter"],
  }),
  getPublicProject: op({
    id: "getPublicProject",
    method: "GET",
    path: "/api/v1/public/projects/{slug}",
    summary: "Get a public project",
    description: "Any project its owner made public, by slug; no token needed. Cacheable " +
      "by shared caches for 5 minutes, then served stale while revalidating for an hour.",
    tag: "Public",
    auth: false,
    params: { slug: slugParam },
    responses: {
      200: {
        description: "The project.",
        schema: projectResource,
        headers: ["ETag", "Cache-Control"],
      },
      304: { description: "Not modified (If-None-Match).", headers: ["ETag", "Cache-Control"] },
    },
    problems: ["not-found"],
  }),
  openApi: op({
    id: "openApi",
    method: "GET",
    path: "/api/v1/openapi.json",
    summary: "This document",
    description: "The OpenAPI 3.1 description of API v1.",
    tag: "Meta",
    auth: false,
    responses: {
      200: { description: "The OpenAPI document.", headers: ["ETag"] },
      304: { description: "Not modified (If-None-Match).", headers: ["ETag"] },
    },
    problems: [],
  }),
} as const satisfies Record<string, Operation>;

/** An operation of API v1. */
