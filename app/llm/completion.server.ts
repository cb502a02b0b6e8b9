/**
 * The completion loop both model providers share (OpenAI and Anthropic): stream the answer,
 * repair and validate it, and when it is still unusable give the model one repair turn with
 * what is wrong; then the `completed` event with the usage of both turns and the repairs.
 * The providers supply only their wire calls.
 */
import type { CallDeadline } from "./deadlines.server.ts";
import type { RepairCounts } from "./repair.ts";
import { addRepairs } from "./repair.ts";
import {
  checkOutput,
  completedEvent,
  type JsonSchema,
  redactSystemPrompt,
  repairMessage,
} from "./structured_output.server.ts";
import { ProviderError, type ProviderEvent, type StageRequest } from "./types.ts";

/** One streamed answer of a provider, as its wire call returns it. */
export interface ProviderAnswer {
  text: string;
  inputTokens: number;
  outputTokens: number;
  ttftMs?: number;
  /** The answer stopped at the output token limit. */
  cut: boolean;
}

type AnswerStream = AsyncGenerator<ProviderEvent, ProviderAnswer>;

/** Runs the first turn and, when needed, the one repair turn; yields their events, then `completed`. */
export async function* completeStage(input: {
  provider: string;
  request: StageRequest;
  deadline: CallDeadline;
  startedAt: number;
  now: () => number;
  /** The first turn, streaming partial outputs. */
  first: () => AnswerStream;
  /** The call as it stands once the first turn answered (a provider may have stepped down). */
  call: () => { model: string; system: string; jsonSchema: JsonSchema };
  /** The repair turn: the conversation continued with the answer and what is wrong with it. */
  repair: (answer: ProviderAnswer, message: string) => AnswerStream;
}): AsyncGenerator<ProviderEvent, void> {
  const { provider, request, deadline } = input;
  const first = yield* input.first();
  const call = input.call();
  const options = { schema: request.schema, jsonSchema: call.jsonSchema };
  let check = checkOutput(first.text, options);
  const repairs: RepairCounts = {};
  let inputTokens = first.inputTokens;
  let outputTokens = first.outputTokens;
  if (!check.ok) {
    deadline.expectFirstToken();
    const second = yield* input.repair(first, repairMessage(check.errors, first.cut));
    inputTokens += second.inputTokens;
    outputTokens += second.outputTokens;
    check = checkOutput(second.text, options);
    if (!check.ok) {
      throw new ProviderError(
        "invalid_output",
        `${provider}: the output does not match the ${request.stage} schema after one repair:\n${check.errors}`,
        { provider },
      );
    }
    repairs.repair_round_trip = 1;
  }
  yield completedEvent({
    provider,
    model: call.model,
    output: redactSystemPrompt(check.output, call.system),
    tokens: { inputTokens, outputTokens },
    ttftMs: first.ttftMs,
    durationMs: input.now() - input.startedAt,
    repairs: addRepairs(repairs, check.repairs),
  });
}
