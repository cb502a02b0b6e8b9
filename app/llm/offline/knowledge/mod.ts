/** The engine's own knowledge files (kinds, overlays), validated once at module load. */
import {
  type Kind,
  kindFileSchema,
  type KindProfile,
  type Overlay,
  overlayFileSchema,
} from "./schema.ts";
import kinds from "./kinds.json" with { type: "json" };
import overlays from "./overlays.json" with { type: "json" };

export const KIND_PROFILES: ReadonlyMap<Kind, KindProfile> = new Map(
  kindFileSchema.parse(kinds).kinds.map((profile) => [profile.kind, profile]),
);

export const OVERLAYS: readonly Overlay[] = overlayFileSchema.parse(overlays).overlays;
