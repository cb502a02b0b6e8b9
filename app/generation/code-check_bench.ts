/** The code check on the generation path (issue 16.5): its cost per stored code stage. */
import { buildCode } from "../llm/offline/code.ts";
import { generateStage } from "../llm/offline/mod.ts";
import { checkCode } from "./code-check.ts";
import type { StageOutputs } from "../blueprint/schemas.ts";
import { STAGE_NAMES } from "../blueprint/stages.ts";

const outputs: Record<string, unknown> = {};
for (const stage of STAGE_NAMES) {
  outputs[stage] = generateStage(
    stage,
    "a marketplace where local farmers sell vegetable boxes",
    outputs,
  );
}
const { architecture, design, brand, code } = outputs as StageOutputs;

Deno.bench("checkCode: one code stage against its architecture", { group: "code" }, () => {
  checkCode(code, architecture);
});

Deno.bench("buildCode: the offline replacement", { group: "code" }, () => {
  buildCode({ architecture, design, brand });
});
