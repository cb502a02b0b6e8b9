/**
 * The offline engine (docs/architecture.md §5.3): deterministic, network-free generation of all five
 * stages, streamed item by item through the same Provider interface as the LLMs.
 */
import type { StageName } from "../../blueprint/stages.ts";
import { type StageOutputs, stageSchemas } from "../../blueprint/schemas.ts";
import { type Provider, ProviderError, type ProviderEvent, type StageRequest } from "../types.ts";
import { analyse, type Analysis } from "./analyse.ts";
import { buildArchitecture } from "./architecture.ts";
import { buildBrand } from "./brand.ts";
import { buildCode } from "./code.ts";
import { buildDesign } from "./design.ts";
import { buildProduct } from "./product.ts";
import { partials } from "./stream.ts";

export const OFFLINE_PROVIDER = "offline";
export const OFFLINE_MODEL = "atlas9-offline-1";

type Inputs = Partial<Record<StageName, unknown>>;

/** An upstream output: the given one when it fits its schema, else generated here. */
function upstream<S extends StageName>(
  stage: S,
  analysis: Analysis,
  inputs: Inputs,
): StageOutputs[S] {
  const given = stageSchemas[stage].safeParse(inputs[stage]);
  if (given.success) return given.data as StageOutputs[S];
  return build(stage, analysis, inputs);
}

function build<S extends StageName>(stage: S, analysis: Analysis, inputs: Inputs): StageOutputs[S] {
  const product = () => upstream("product", analysis, inputs);
  const outputs: { [K in StageName]: () => StageOutputs[K] } = {
    product: () => buildProduct(analysis),
    brand: () => buildBrand(analysis, product()),
    design: () => buildDesign(analysis, product()),
    architecture: () => buildArchitecture(analysis, product()),
    code: () =>
      buildCode({
        architecture: upstream("architecture", analysis, inputs),
        design: upstream("design", analysis, inputs),
        brand: upstream("brand", analysis, inputs),
      }),
  };
  return outputs[stage]();
}

/**
 * Generates one stage for a directive. `inputs` are upstream outputs (any provider's);
 * missing or invalid ones are generated from the directive. Same arguments, same output.
 */
export function generateStage<S extends StageName>(
  stage: S,
  directive: string,
  inputs: Inputs = {},
): StageOutputs[S] {
  return build(stage, analyse(directive), inputs);
}

function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value ?? "").length / 4);
}

function aborted(): ProviderError {
  return new ProviderError("aborted", "Generation was cancelled.", { provider: OFFLINE_PROVIDER });
}

/** The offline engine as a Provider: started, one delta per list item, completed. */
export function createOfflineProvider(): Provider & { readonly model: string } {
  return {
    name: OFFLINE_PROVIDER,
    model: OFFLINE_MODEL,
    async *generate(request: StageRequest): AsyncGenerator<ProviderEvent> {
      const startedAt = performance.now();
      if (request.signal.aborted) throw aborted();
      yield { type: "started", provider: OFFLINE_PROVIDER, model: OFFLINE_MODEL };
      const output = generateStage(request.stage, request.directive, request.inputs);
      let ttftMs: number | undefined;
      for (const partial of partials(output)) {
        if (request.signal.aborted) throw aborted();
        ttftMs ??= performance.now() - startedAt;
        yield { type: "delta", partial };
      }
      if (request.signal.aborted) throw aborted();
      const durationMs = performance.now() - startedAt;
      yield {
        type: "completed",
        output,
        usage: {
          provider: OFFLINE_PROVIDER,
          model: OFFLINE_MODEL,
          inputTokens: estimateTokens({ directive: request.directive, inputs: request.inputs }),
          outputTokens: estimateTokens(output),
          costUsd: 0,
          ttftMs: Math.round(ttftMs ?? durationMs),
          durationMs: Math.round(durationMs),
          cached: false,
        },
      };
    },
  };
}
