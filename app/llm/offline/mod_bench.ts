/** Figures for the offline engine: a full five-stage generation per directive. */
import { STAGE_NAMES } from "../../blueprint/stages.ts";
import { generateStage } from "./mod.ts";

const DIRECTIVES = [
  "a marketplace where local farmers sell vegetable boxes",
  "A booking app for independent dog groomers",
  "an invoicing tool for freelancers",
];

for (const directive of DIRECTIVES) {
  Deno.bench(`five stages: ${directive}`, { group: "generation" }, () => {
    const outputs: Record<string, unknown> = {};
    for (const stage of STAGE_NAMES) outputs[stage] = generateStage(stage, directive, outputs);
  });
}
