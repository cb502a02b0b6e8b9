/** Stable reasons a project was refused (the landing page maps them back to messages). */
export type CreateErrorCode = "directive_length" | "generation_limit" | "project_limit";

/** User-facing messages per refusal code. */
export const CREATE_ERROR_MESSAGES: Record<CreateErrorCode, string> = {
  directive_length: "A directive needs 3 to 400 characters.",
  generation_limit: "You already have 2 generations running. Wait for one to finish.",
  project_limit: "You have created the most projects allowed in an hour. Try again later.",
};
