/**
 * The closed sets of values stored in the database. Kept free of imports, so browser code
 * (a visibility picker, a status badge) can use them without pulling in Drizzle.
 */

export const PROJECT_VISIBILITIES = ["private", "public"] as const;
export type ProjectVisibility = (typeof PROJECT_VISIBILITIES)[number];

export const PROJECT_STATUSES = ["queued", "running", "completed", "failed"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const GENERATION_STATUSES = ["completed", "stale", "failed"] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
