/** The engine's own knowledge files (kinds, overlays, records), validated once at module load. */
import {
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
