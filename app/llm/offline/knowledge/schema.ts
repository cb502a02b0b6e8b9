/**
 * The offline engine's domain knowledge, as data (issue 11): semantic kinds, concepts and
 * interaction-pattern overlays live in JSON files beside this module, validated here and
 * read by the small engine in `../`. Nothing in these files is code.
 *
 * Templates may use placeholders, filled from the directive by the engine:
 * - `{o} {os} {O} {Os}`: the object the entry is about (singular, plural, capitalised);
 *   `{ao}` with its article ("an incident").
 * - `{p} {ps} {P} {Ps}`: the primary actor (who uses the product); `{s} {ss} {S} {Ss}` the
 *   counterpart it serves, when the directive names one.
 * Entity and field names in `fields` may use `$O` (PascalCase object) and `$o` (camelCase).
 */
import { z } from "zod";
import { FIELD_TYPES, NFR_CATEGORIES, PRIORITIES } from "../../../blueprint/schemas.ts";

/** The small set of semantic kinds every object of a directive is typed into. */
export const KINDS = [
  "person", // a role or individual: nurse, hiker, tenant
  "group", // people together: choir, team, club, household
  "organisation", // hospital, company, farm, school
  "event", // session, rehearsal, concert, incident, match
  "place", // facility, venue, room, trail, bed (as a place to be)
  "equipment", // tools, machines, vehicles, devices: tractor, washer, drone
  "document", // forms, contracts, reports, records, invoices
  "content", // media and writing for an audience: post, episode, recipe, course
  "money", // payment, royalty, grant, budget, expense
  "measurement", // a reading or measured state: ripeness, temperature, weight
  "observation", // a sighting, report of something seen, finding
  "request", // ticket, application, claim, order as a request to act
  "product", // goods for sale or exchange: vegetable box, book, part
  "living", // plants and animals: hive, plant, dog, crop
  "schedule", // rota, shift, rotation, timetable, plan over time
  "task", // chore, job, to-do, assignment
  "message", // chat, notification, alert, page
  "skill", // language, instrument, topic learned or taught
  "abstract", // anything else worth an entity (idea, goal, policy)
] as const;
export type Kind = (typeof KINDS)[number];

const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(48);
const text = z.string().min(1).max(400);
const short = z.string().min(1).max(80);

/**
 * A field in compact notation: `name:type`, then `!` required, `u` unique, `>Entity` a
 * reference. `startsAt:timestamp!`, `$oId:uuid!>$O`, `email:text!u`.
 */
export const fieldSpec = z.string().regex(
  new RegExp(`^[$A-Za-z][A-Za-z0-9$]*:(${FIELD_TYPES.join("|")})!?u?(>[$A-Za-z][A-Za-z0-9$]*)?$`),
);

export const storySchema = z.object({
  as: z.enum(["p", "s", "admin"]),
  want: text,
  soThat: text,
  criteria: z.array(text).min(1).max(6),
});

/** A capability a PM would list: becomes a product feature, and a screen/endpoint. */
export const capabilitySchema = z.object({
  /** Unique within its entry; becomes part of the feature id. */
  key: id,
  /** A kind's capability that fits only objects with these heads ("swaps and cover": rotas). */
  heads: z.array(z.string().min(2)).max(16).optional(),
  title: short,
  description: text,
  priority: z.enum(PRIORITIES),
  stories: z.array(storySchema).max(3).default([]),
  /** An endpoint beyond CRUD on the entry's entity, relative to its collection. */
  action: z.object({
    method: z.enum(["POST", "PATCH"]),
    path: z.string().regex(/^\/[a-z0-9{}/:-]*$/),
    purpose: text,
  }).optional(),
});
export type Capability = z.infer<typeof capabilitySchema>;

export const entitySchema = z.object({
  /** PascalCase, may use `$O`. */
  name: z.string().regex(/^[$A-Z][A-Za-z0-9$]*$/),
  description: text,
  fields: z.array(fieldSpec).min(1).max(24),
});
export type EntitySpec = z.infer<typeof entitySchema>;

/** Per kind: the fields every object of the kind has and what a PM expects for it. */
export const kindProfileSchema = z.object({
  kind: z.enum(KINDS),
  /** WordNet hypernym lemmas (synset heads) that put a noun in this kind. */
  hypernyms: z.array(z.string().min(1)).default([]),
  fields: z.array(fieldSpec).max(16),
  capabilities: z.array(capabilitySchema).max(8),
  /** Entities a PM expects beside any object of the kind (a reading's alert rule). */
  related: z.array(entitySchema).max(2).default([]),
  /**
   * Whether `related` is added when a concept with entities of its own knows the object:
   * false where the kind is too broad for one answer (an event's attendees fit a rehearsal,
   * not an incident).
   */
  relatedBesideConcepts: z.boolean().default(true),
  /** When set, `related` fits only objects with one of these heads (a rota's shifts, not a calendar's). */
  relatedHeads: z.array(z.string().min(2)).max(16).default([]),
  risks: z.array(z.tuple([text, text])).max(4).default([]),
});
export type KindProfile = z.infer<typeof kindProfileSchema>;

/**
 * A concept from a domain: incident, hive inspection, clinical trial. Matched by its
 * terms (lemmas or multi-word phrases, lower case) against the directive's objects.
 */
export const conceptSchema = z.object({
  id,
  /** The domain it belongs to, for brand tone and distinctness ("sre", "beekeeping"). */
  domain: id,
  terms: z.array(z.string().min(2).max(48)).min(1).max(16),
  /**
   * Terms with an everyday sense elsewhere ("lift", "refill", "feeding"): they name this
   * concept only when another of the domain's terms is in the directive too.
   */
  weakTerms: z.array(z.string().min(2).max(48)).max(8).default([]),
  kind: z.enum(KINDS),
  /** Fields the object's own entity gets on top of its kind's. */
  fields: z.array(fieldSpec).max(16).default([]),
  /** Entities a product about this concept needs besides the object itself. */
  related: z.array(entitySchema).max(4).default([]),
  capabilities: z.array(capabilitySchema).min(1).max(8),
  risks: z.array(z.tuple([text, text])).max(4).default([]),
  metrics: z.array(z.tuple([short, text])).max(3).default([]),
  integrations: z.array(z.tuple([short, text])).max(3).default([]),
});
export type Concept = z.infer<typeof conceptSchema>;

/**
 * An interaction pattern (marketplace, booking, subscription commerce, …): adds its
 * capabilities only when the directive really is of that kind, by its cue terms.
 */
export const overlaySchema = z.object({
  id,
  label: short,
  /** Lemmas or phrases; `minScore` of their weights must be reached. */
  cues: z.record(z.string(), z.number().positive()),
  minScore: z.number().positive(),
  /** Cues whose noun names something else ("a book"): they count only as the directive's verbs. */
  verbCues: z.array(z.string()).max(8).default([]),
  /**
   * Kinds of thing the pattern acts on ("booking": places, equipment, events): its
   * capabilities are about the directive's first object of one of these kinds, else the main.
   */
  targets: z.array(z.enum(KINDS)).max(8).default([]),
  entities: z.array(entitySchema).max(4).default([]),
  capabilities: z.array(capabilitySchema).min(1).max(8),
  risks: z.array(z.tuple([text, text])).max(4).default([]),
  nonFunctional: z.array(z.tuple([z.enum(NFR_CATEGORIES), text])).max(4).default([]),
});
export type Overlay = z.infer<typeof overlaySchema>;

/**
 * An act that leaves a record: when a directive's verb acts on one of its things ("claim
 * swarms", "rent out tractors"), the product keeps the act as an entity beside the thing.
 */
export const recordSchema = z.object({
  /** Infinitives (lower case) that name the act. */
  verbs: z.array(z.string().regex(/^[a-z]+(?: [a-z]+)*$/)).min(1).max(8),
  /** PascalCase entity name ("Claim", "Rental"). */
  name: z.string().regex(/^[A-Z][A-Za-z]*$/),
  description: text,
  fields: z.array(fieldSpec).min(2).max(12),
});
export type RecordSpec = z.infer<typeof recordSchema>;

export const recordFileSchema = z.object({
  description: text,
  records: z.array(recordSchema).min(1),
}).superRefine((file, ctx) => {
  const seen = new Set<string>();
  for (const [i, record] of file.records.entries()) {
    for (const verb of record.verbs) {
      if (seen.has(verb)) {
        ctx.addIssue({
          code: "custom",
          path: ["records", i],
          message: `"${verb}" is listed twice`,
        });
      }
      seen.add(verb);
    }
  }
});

const analogyPattern = z.string().min(8).max(200).refine(
  (pattern) => pattern.includes("{x}"),
  "uses {x}",
);

/** "Uber for X": a brand and the pattern it stands for, `{x}` the rest of the directive. */
export const analogyFileSchema = z.object({
  description: text,
  analogies: z.record(
    z.string().regex(/^[a-z][a-z0-9]*$/),
    z.union([analogyPattern, z.object({ people: analogyPattern, things: analogyPattern })]),
  ),
});

export const conceptFileSchema = z.object({ concepts: z.array(conceptSchema).min(1) });
export const kindFileSchema = z.object({
  kinds: z.array(kindProfileSchema),
  /**
   * The sense a product directive means where WordNet's most frequent one is another
   * ("member" is a person, not a limb; "menu" a document, not money), applied by
   * scripts/build-lexicon.ts.
   */
  senses: z.record(z.string().regex(/^[a-z][a-z' -]*$/), z.enum(KINDS)).default({}),
});
export const overlayFileSchema = z.object({ overlays: z.array(overlaySchema) });
