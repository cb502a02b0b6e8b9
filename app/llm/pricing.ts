/**
 * List prices of the models Atlas9 can route to, in USD per 1M tokens, standard (non-batch,
 * non-cached-input) tier, as published by OpenAI and Anthropic as of 2025-11. Prices change:
 * update this table and the date together. A model id matches the longest listed prefix, so
 * dated snapshots ("claude-sonnet-4-20250514", "gpt-4o-2024-08-06") resolve to their family.
 */
export const PRICES_PER_MILLION: Readonly<Record<string, { input: number; output: number }>> = {
  // OpenAI
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "o3": { input: 2, output: 8 },
  "o3-mini": { input: 1.1, output: 4.4 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  // Anthropic
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  "claude-3-5-sonnet": { input: 3, output: 15 },
  "claude-3-7-sonnet": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-opus-4": { input: 15, output: 75 },
  "claude-opus-4-1": { input: 15, output: 75 },
  "claude-opus-4-5": { input: 5, output: 25 },
};

/** The price entry for a model id (longest matching prefix), or undefined when unlisted. */
export function priceOf(model: string): { input: number; output: number } | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(PRICES_PER_MILLION)) {
    const matches = model === prefix || model.startsWith(`${prefix}-`);
    if (matches && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : PRICES_PER_MILLION[best];
}

/** Cost in USD of one call; unlisted models (local servers, new releases) cost 0, flagged `priced: false`. */
export function costUsd(
  { model, inputTokens, outputTokens }: {
    model: string;
    inputTokens: number;
    outputTokens: number;
  },
): number {
  return costOf({ model, inputTokens, outputTokens }).usd;
}

/** Cost in USD of one call, with whether the model was found in the price table. */
export function costOf(
  { model, inputTokens, outputTokens }: {
    model: string;
    inputTokens: number;
    outputTokens: number;
  },
): { usd: number; priced: boolean } {
  const price = priceOf(model);
  if (!price) return { usd: 0, priced: false };
  const usd = (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  // Round to micro-dollars: the unit spend is accounted in (spendKey).
  return { usd: Math.round(usd * 1_000_000) / 1_000_000, priced: true };
}
