/** Stable reasons a project was refused (the landing page maps them back to messages). */
export type CreateErrorCode =
  | "directive_length"
  | "directive_language"
  | "directive_unrecognised"
  | "generation_limit"
  | "project_limit";

/** User-facing messages per refusal code. */
export const CREATE_ERROR_MESSAGES: Record<CreateErrorCode, string> = {
  directive_length: "A directive needs 3 to 400 characters.",
  directive_language:
    "The offline engine reads English only. Write the directive in English, or configure an LLM provider (OpenAI or Anthropic), which understands other languages.",
  directive_unrecognised:
    "We could not find a product in that directive. Say who it is for and what they do with it, for example “a booking app for independent dog groomers”.",
  generation_limit:
    "You already have the most generations running at once. Wait for one to finish.",
  project_limit: "You have created the most projects allowed in an hour. Try again later.",
};

/** The refusal of a generation over the per-user limit, with the limit that is configured. */
export function generationLimitMessage(limit: number): string {
  return `You already have ${limit} generations running. Wait for one to finish.`;
}

/** The message of a refusal code; the generation limit's names the limit when it is known. */
export function refusalMessage(code: CreateErrorCode, options: { limit?: number } = {}): string {
  return code === "generation_limit" && options.limit !== undefined
    ? generationLimitMessage(options.limit)
    : CREATE_ERROR_MESSAGES[code];
}
