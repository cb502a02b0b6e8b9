/**
 * Every Deno KV key used by Atlas9 is built here, and only here (STYLE.md, from saaskit).
 * Key parts are strings or numbers; each builder names one kind of record.
 */

/** A browser session: value holds user id and expiry times. */
export const sessionKey = (sessionId: string) => ["session", sessionId] as const;

/** A fixed-window rate-limit counter: `scope` (e.g. "login-ip"), subject, window start. */
export const rateLimitKey = (scope: string, subject: string, windowStart: number) =>
  ["rate", scope, subject, windowStart] as const;

/** A stored idempotent response of `POST /api/v1/projects`. */
export const idempotencyKey = (userId: string, key: string) => ["idem", userId, key] as const;

/** A generation job: stage states and lease (docs/architecture.md §4). */
export const jobKey = (jobId: string) => ["job", jobId] as const;

/** One event of a job's event log. */
export const jobEventKey = (jobId: string, seq: number) => ["job_events", jobId, seq] as const;

/** Prefix of a job's event log, for listing. */
export const jobEventsPrefix = (jobId: string) => ["job_events", jobId] as const;

/** Index of unfinished jobs, scanned by the resume sweep. */
export const activeJobKey = (jobId: string) => ["jobs_active", jobId] as const;

/** Prefix of the unfinished-jobs index. */
export const activeJobsPrefix = () => ["jobs_active"] as const;

/** A user's running generations (at most two, docs/architecture.md §4 limits). */
export const runningGenerationsKey = (userId: string) => ["running", userId] as const;

/** Cached LLM output manifest (docs/architecture.md §5.2). */
export const llmCacheKey = (provider: string, model: string, promptVersion: string, hash: string) =>
  ["llm", provider, model, promptVersion, hash] as const;

/** One chunk of a value too large for a single KV entry. */
export const chunkKey = (base: readonly Deno.KvKeyPart[], index: number) =>
  ["chunk", ...base, index] as const;

/** A user's LLM spend for one UTC day (YYYY-MM-DD), in micro-dollars. */
export const spendKey = (userId: string, day: string) => ["spend", userId, day] as const;

/** Render data of a public page, by slug. */
export const publicPageKey = (slug: string) => ["public_page", slug] as const;

/** Cached project resource with latest stage outputs. */
export const projectCacheKey = (projectId: string) => ["project_cache", projectId] as const;

/** Request metrics for one route pattern in one minute. */
export const requestMetricsKey = (minute: number, route: string, field: string) =>
  ["metrics", "req", minute, route, field] as const;

/** Prefix of the request metrics of one minute. */
export const requestMetricsPrefix = (minute: number) => ["metrics", "req", minute] as const;

/** Browser (RUM) metric samples for one route in one hour. */
export const rumKey = (hour: number, route: string, metric: string) =>
  ["metrics", "rum", hour, route, metric] as const;

/** Synthetic check result at one minute. */
export const syntheticCheckKey = (minute: number, target: string) =>
  ["metrics", "synthetic", minute, target] as const;

/** Open incident per synthetic-check target (alert once per incident). */
export const incidentKey = (target: string) => ["incident", target] as const;

/** The generated session secret when SESSION_SECRET is unset and KV is shared. */
export const sessionSecretKey = () => ["config", "session_secret"] as const;

/** The generated one-time admin setup token (when ADMIN_SETUP_TOKEN is unset). */
export const adminSetupTokenKey = () => ["config", "admin_setup_token"] as const;

/** A user's confirmed administrator access: granted with the setup token. */
export const adminGrantKey = (userId: string) => ["admin_grant", userId] as const;

/** A key read by the health check (its absence is fine: the read is the probe). */
export const healthProbeKey = () => ["health", "probe"] as const;

/** A key the health check writes (with a short expiry): a full disk fails the write. */
export const healthWriteProbeKey = () => ["health", "write_probe"] as const;

/** The current (latest) generation job of a project. */
export const projectJobKey = (projectId: string) => ["project_job", projectId] as const;

/** The rendered Open Graph image (PNG) of a public page, by slug. */
export const ogImageKey = (slug: string) => ["og_image", slug] as const;

/** Request metrics for one route pattern in one hour (the rollup behind day views). */
export const requestMetricsHourKey = (hour: number, route: string, field: string) =>
  ["metrics", "req_hour", hour, route, field] as const;

/** Prefix of the hourly request metrics of one hour. */
export const requestMetricsHourPrefix = (hour: number) => ["metrics", "req_hour", hour] as const;

/** One histogram bucket of a browser (RUM) metric for one route in one hour. */
export const rumBucketKey = (hour: number, route: string, metric: string, bucket: number) =>
  [...rumKey(hour, route, metric), bucket] as const;

/** Prefix of the browser (RUM) metrics of one hour. */
export const rumHourPrefix = (hour: number) => ["metrics", "rum", hour] as const;

/** Prefix of the synthetic check results of one minute. */
export const syntheticChecksPrefix = (minute: number) => ["metrics", "synthetic", minute] as const;

/** Synthetic check counters for one target in one hour (the rollup behind day views). */
export const syntheticHourKey = (hour: number, target: string, field: string) =>
  ["metrics", "synthetic_hour", hour, target, field] as const;

/** Prefix of the hourly synthetic check counters of one hour. */
export const syntheticHourPrefix = (hour: number) => ["metrics", "synthetic_hour", hour] as const;

/** Prefix of every open synthetic-check incident. */
export const incidentsPrefix = () => ["incident"] as const;

/** The content stamp of one edge-served scope (`p:<slug>` or `landing`); bumped on every change. */
export const edgeStampKey = (scope: string) => ["edge_stamp", scope] as const;

/** A stored response of an edge-served scope: one variant (html, json) in one encoding. */
export const edgeEntryKey = (scope: string, variant: string, encoding: string) =>
  ["edge_page", scope, variant, encoding] as const;

/** One chunk of a stored response too large for its entry; `contentId` names one write. */
export const edgeChunkKey = (
  scope: string,
  variant: string,
  encoding: string,
  contentId: string,
  index: number,
) => ["edge_chunk", scope, variant, encoding, contentId, index] as const;

/**
 * The next free sequence number of a job's event log, written with each `stage.delta` so the
 * deltas need not rewrite the whole job record (issue 14 item 2); watched by event streams.
 */
export const jobTailKey = (jobId: string) => ["job_tail", jobId] as const;

/** Prefix of every user's daily LLM spend counters, scanned by the hourly pruning. */
export const spendPrefix = () => ["spend"] as const;
