import { booking } from "./booking.ts";
import { commerce } from "./commerce.ts";
import { content } from "./content.ts";
import { developer } from "./developer.ts";
import { education } from "./education.ts";
import { fintech } from "./fintech.ts";
import { health } from "./health.ts";
import { logistics } from "./logistics.ts";
import { marketplace } from "./marketplace.ts";
import { operations } from "./operations.ts";
import { saas } from "./saas.ts";
import { social } from "./social.ts";
import { type Archetype, ARCHETYPE_IDS, type ArchetypeId } from "./types.ts";

export type { Archetype, ArchetypeId } from "./types.ts";
export { ARCHETYPE_IDS } from "./types.ts";

/** Every archetype by id. */
export const ARCHETYPES: Record<ArchetypeId, Archetype> = {
  "marketplace": marketplace,
  "saas-tool": saas,
  "social-community": social,
  "commerce": commerce,
  "booking-scheduling": booking,
  "content-media": content,
  "fintech": fintech,
  "health": health,
  "education": education,
  "logistics-on-demand": logistics,
  "internal-b2b-ops": operations,
  "developer-api": developer,
};

/** Archetypes in tie-break order: on equal scores the earlier one wins. */
export const ARCHETYPE_ORDER: readonly Archetype[] = ARCHETYPE_IDS.map((id) => ARCHETYPES[id]);
