/** The engine's own knowledge files (kinds, overlays, records), validated once at module load. */
import {
  analogyFileSchema,
  type Kind,
  kindFileSchema,
  type KindProfile,
  type Overlay,
  overlayFileSchema,
  recordFileSchema,
  type RecordSpec,
} from "./schema.ts";
import { readKnowledge } from "./files.ts";

export const KIND_PROFILES: ReadonlyMap<Kind, KindProfile> = new Map(
  kindFileSchema.parse(readKnowledge("kinds.json")).kinds.map((profile) => [profile.kind, profile]),
);

export const OVERLAYS: readonly Overlay[] =
  overlayFileSchema.parse(readKnowledge("overlays.json")).overlays;

/** Acts that leave a record, by verb ("claim" → Claim). */
export const RECORDS_BY_VERB: ReadonlyMap<string, RecordSpec> = new Map(
  recordFileSchema.parse(readKnowledge("records.json")).records.flatMap((record) =>
    record.verbs.map((verb) => [verb, record] as const)
  ),
);

const ANALOGIES = analogyFileSchema.parse(readKnowledge("analogies.json")).analogies;

/** Words that may lead up to the brand: "something like", "we want a", "basically". */
const ANALOGY_LEAD =
  "it'?s|like|an?|the|something|kind|sort|of|basically|just|i|we|want|need|build|make|me|us";

/** "Uber for dog groomers", "something like Trello but for film crews", "a Yelp, but for vets". */
const ANALOGY = new RegExp(
  `^\\s*(?:(?:${ANALOGY_LEAD})\\s+)*([a-z][a-z0-9]*),?(?:\\s+(?:app|clone|but))*\\s+for\\s+(.+)$`,
  "i",
);

/**
 * "Uber for dog groomers" → "an on-demand app where customers book a visit from dog groomers
 * nearby, …": a directive phrased as an analogy, as the pattern its brand stands for; `isPeople`
 * tells whether the rest names people. Other directives are returned unchanged.
 */
export function rewriteAnalogy(directive: string, isPeople: (words: string) => boolean): string {
  const match = ANALOGY.exec(directive);
  const entry = match ? ANALOGIES[match[1].toLowerCase()] : undefined;
  if (!match || !entry) return directive;
  const rest = match[2].trim().replace(/[.!?]+$/, "");
  const pattern = typeof entry === "string" ? entry : isPeople(rest) ? entry.people : entry.things;
  return pattern.replace("{x}", rest);
}
