/** The engine's own knowledge files (kinds, overlays), validated once at module load. */
import {
  type Kind,
  kindFileSchema,
  type KindProfile,
  type Overlay,
  overlayFileSchema,
} from "./schema.ts";
import { readKnowledge } from "./files.ts";

export const KIND_PROFILES: ReadonlyMap<Kind, KindProfile> = new Map(
  kindFileSchema.parse(readKnowledge("kinds.json")).kinds.map((profile) => [profile.kind, profile]),
);

export const OVERLAYS: readonly Overlay[] =
  overlayFileSchema.parse(readKnowledge("overlays.json")).overlays;
