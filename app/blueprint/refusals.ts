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
  generation_limit: "You already have 2 generations running. Wait for one to finish.",
  project_limit: "You have created the most projects allowed in an hour. Try again later.",
};
