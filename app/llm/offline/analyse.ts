/**
 * From a directive to what every stage builder needs: the archetype it belongs to, the
 * roles (who uses it, for whom, about what), and the template variables they fill.
 */
import { type Archetype, ARCHETYPE_ORDER, type ArchetypeId } from "./archetypes/mod.ts";
import {
  isActor,
  type ParsedDirective,
  parseDirective,
  type Phrase,
  plainPhrase,
} from "./parse.ts";
import { hash32 } from "./random.ts";
import { ACRONYMS, MASS_NOUNS, ORGANISATIONS } from "./lexicon.ts";
import {
  article,
  capitalise,
  kebab,
  type Noun,
  noun,
  pascal,
  pluralise,
  singularise,
} from "./text.ts";
import { conceptsForPhrase, conceptsForTerm } from "./knowledge/concepts.ts";
import { rewriteAnalogy } from "./knowledge/mod.ts";
import type { Concept, Kind } from "./knowledge/schema.ts";
import { nounKind, wordKind } from "./wordnet.ts";

/** A role in the product: who or what, in words and as an entity name. */
export interface Role {
  noun: Noun;
  /** PascalCase entity name from the role's core ("VegetableBox"). */
  entity: string;
  /** False for mass nouns ("live captioning"), which take no plural. */
  countable?: boolean;
}

/** An object of the directive with its semantic kind, matched concepts and verbs. */
export interface TypedObject {
  role: Role;
  kind: Kind;
  concepts: readonly Concept[];
  /** Verbs of the directive acting on it ("plan" for rehearsals). */
  verbs: string[];
  /** The archetype's default, standing in when the directive names no thing. */
  implied?: boolean;
}

export interface Analysis {
  directive: string;
  seed: number;
  parsed: ParsedDirective;
  lemmas: ReadonlySet<string>;
  archetype: Archetype;
  /** Archetype scores, best first (ties in archetype order). */
  scores: { id: ArchetypeId; score: number }[];
  variant: string;
  primary: Role;
  secondary: Role;
  object: Role;
  action: string;
  /** The directive's objects, typed; the first is the main object. */
  objects: TypedObject[];
  /** Further (verb, object) pairs from the directive beyond the main one. */
  extraActions: { verb: string; object: Role }[];
  /** Placeholder values for prose templates. */
  vars: Record<string, string>;
  /** Placeholder values for routes (kebab-case). */
  routeVars: Record<string, string>;
}

/** Verbs whose subject supplies the product's goods or services. */
const SUPPLY_VERBS = new Set([
  "sell",
  "offer",
  "list",
  "rent",
  "lend",
  "provide",
  "publish",
  "host",
  "teach",
  "deliver",
  "make",
  "grow",
  "bake",
  "craft",
  "create",
  "write",
  "produce",
  "share",
  "post",
  "run",
]);

/** Counterparts of common primary users. */
const COUNTERPARTS: Record<string, string> = {
  tutor: "student",
  teacher: "student",
  schoolteacher: "student",
  instructor: "student",
  coach: "athlete",
  lecturer: "student",
  professor: "student",
  mentor: "mentee",
  trainer: "client",
  patient: "clinician",
  physiotherapist: "patient",
  physio: "patient",
  therapist: "client",
  doctor: "patient",
  physician: "patient",
  dentist: "patient",
  nurse: "patient",
  clinic: "patient",
  landlord: "tenant",
  tenant: "landlord",
  musician: "fan",
  podcaster: "listener",
  writer: "reader",
  author: "reader",
  creator: "subscriber",
  freelancer: "client",
  consultant: "client",
  photographer: "client",
  restaurant: "diner",
  developer: "account admin",
  courier: "sender",
  driver: "passenger",
  volunteer: "organiser",
  homeowner: "tradesperson",
  contractor: "homeowner",
  seller: "buyer",
  host: "guest",
  gym: "member",
  salon: "client",
  school: "parent",
  kid: "parent",
  farmer: "customer",
  maker: "customer",
  artist: "collector",
  cook: "fellow cook",
  student: "tutor",
  couple: "partner",
  household: "member",
  neighbour: "neighbour",
  neighbor: "neighbor",
  person: "carer",
  vet: "pet owner",
  veterinarian: "pet owner",
};

/** Verbs done between equals: whoever swaps with a parent is another parent. */
const PEER_VERBS = new Set(["swap", "exchange", "trade"]);

const OWNED_ANIMALS = new Set(["dog", "cat", "pet", "horse", "puppy", "rabbit"]);

/** Verbs that trade a thing as goods. */
const SELLING_VERBS = new Set(["sell", "resell", "buy", "stock", "retail"]);

/** Kinds a sold thing is read as goods instead of. */
const SOLD_AS_GOODS = new Set<Kind>(["request", "document", "abstract", "message", "task"]);

/** Object words that name an archetype's built-in concept, not a thing to model. */
const BUILT_IN_OBJECTS = new Set([
  "booking",
  "appointment",
  "reservation",
  "slot",
  "order",
  "payment",
  "user",
  "account",
  "profile",
  "message",
  "review",
  "report",
  "setting",
  "workspace",
]);

/** Heads that name the act of booking; their modifier names what is booked ("table reservation"). */
const BOOKING_HEADS = new Set(["booking", "appointment", "reservation", "slot"]);

/** Verbs whose object is the thing booked, whoever the directive says books it. */
const BOOKING_VERBS = new Set(["book", "reserve", "rent", "hire"]);

/** What a booking phrase books: "table reservation" → "table"; other phrases as they are. */
function bookedThing(phrase: Phrase): Phrase {
  if (!BOOKING_HEADS.has(phrase.head) || phrase.modifiers.length === 0) return phrase;
  // "time slots", "ten minute slots": a length of time is no thing booked, the slot is.
  if (VAGUE_HEADS.has(phrase.modifiers.at(-1)!.toLowerCase())) {
    if (nounKind(phrase.core.one.toLowerCase())) return phrase;
    const bare = noun(phrase.head, pluralise(phrase.head));
    return { ...phrase, noun: bare, core: bare, modifiers: [], adjectives: [] };
  }
  return {
    noun: noun([...phrase.adjectives, ...phrase.modifiers].join(" ")),
    core: noun(phrase.modifiers.join(" ")),
    head: phrase.modifiers.at(-1) ?? phrase.head,
    modifiers: phrase.modifiers.slice(0, -1),
    adjectives: phrase.adjectives,
    weak: phrase.weak,
  };
}

/** Verbs whose object is a subject of study ("learning Portuguese"), not a thing to model. */
const TOPIC_VERBS = new Set(["learn", "study", "practise", "practice", "master", "revise"]);

/** Entity names every blueprint already uses for its own concepts. */
const RESERVED_ENTITIES = new Set(["User"]);

/** "-ing" nouns count only when WordNet knows them as things ("sighting", "booking"). */
function isCountable(head: string): boolean {
  if (MASS_NOUNS.has(head)) return false;
  if (!/ing$/.test(head)) return true;
  const kind = wordKind(head);
  return kind !== undefined && kind !== "abstract" && kind !== "skill";
}

function role(phrase: Phrase): Role {
  const entity = pascal(phrase.core.one) || "Item";
  const countable = isCountable(phrase.head.toLowerCase());
  const value = countable ? phrase.noun : { one: phrase.noun.one, many: phrase.noun.one };
  return {
    noun: value,
    entity: RESERVED_ENTITIES.has(entity) ? `${entity}Profile` : entity,
    countable,
  };
}

/** Heads too vague to be an entity on their own. */
const VAGUE_HEADS = new Set(
  `call thing stuff way time day week weekend month year people item place type kind bit lot
  number list side end use need help minute hour second today tonight tomorrow yesterday
  morning afternoon evening night season summer winter spring autumn fall holiday moment
  phone mark air quality amount rest whole lot couple hundred thousand dozen million`.split(/\s+/),
);

/**
 * Heads naming a collection of the thing before them ("runbook library"), or an everyday act
 * of the place or service before them ("daycare check-in").
 */
const CONTAINER_HEADS = new Set(
  `library archive catalogue catalog collection database directory log register inventory
  check-in check-out sign-in sign-up intake onboarding pickup drop-off`.split(/\s+/),
);

/** Lengths of time a directive logs or tracks, as the record kept ("log hours" → timesheets). */
const TIMED_HEADS: Record<string, string> = { hour: "timesheet" };

/** Verbs that make logged hours a timesheet (not "tracks flight hours toward a licence"). */
const TIMESHEET_VERBS = new Set(["log", "record", "submit", "approve", "bill", "invoice", "enter"]);

/** Vague heads that still name a thing when the directive acts on them ("post items"). */
const THIN_HEADS = new Set(["item", "thing", "place"]);

/** The kind of a phrase: a concept's, else WordNet's for the core, else for the head. */
function kindOf(phrase: Phrase, concepts: readonly Concept[]): Kind {
  return concepts[0]?.kind ?? nounKind(phrase.core.one.toLowerCase()) ??
    wordKind(phrase.head.toLowerCase()) ?? "abstract";
}

/** Every object of the directive, typed, main object first. */
function typedObjects(parsed: ParsedDirective): TypedObject[] {
  const candidates: Phrase[] = [
    ...parsed.actions.flatMap((action) =>
      action.object && !TOPIC_VERBS.has(action.verb) ? [action.object] : []
    ),
    ...parsed.objects.filter((phrase) => !phrase.weak && !phrase.aside),
    ...parsed.actors.filter((phrase) => {
      const kind = nounKind(phrase.core.one.toLowerCase()) ?? wordKind(phrase.head);
      return kind === "group" || kind === "organisation";
    }),
    ...parsed.objects.filter((phrase) => phrase.weak),
    ...parsed.objects.filter((phrase) => phrase.aside && !phrase.weak),
    // The people the directive names are records of their own (Patient, Resident, Client).
    ...parsed.actors,
    ...parsed.owners,
  ].map((phrase) =>
    parsed.actors.includes(phrase) || parsed.owners.includes(phrase) ? phrase : bookedThing(phrase)
  );
  const out: TypedObject[] = [];
  const asides = new Set<string>();
  const seen = new Set(["User"]);
  const actors = new Set<Phrase>([...parsed.actors, ...parsed.owners]);
  for (const phrase of candidates) {
    const head = phrase.head.toLowerCase();
    // A vague head alone says nothing; with a modifier it is a thing ("volunteer hours").
    // "students post items they found": a thin head the directive acts on is its thing.
    const actedOn = parsed.actions.some((action) => action.object === phrase);
    const timeLogged = parsed.actions.some((action) =>
      action.object === phrase && TIMESHEET_VERBS.has(action.verb)
    );
    const vague = VAGUE_HEADS.has(head) && phrase.modifiers.length === 0 &&
      !(THIN_HEADS.has(head) && actedOn) && !(TIMED_HEADS[head] && timeLogged);
    if (ACRONYMS.has(head) || vague || head.length < 3) continue;
    // "a booking app": the act of booking is the booking overlay's, not an object.
    if (phrase.weak && BUILT_IN_OBJECTS.has(head)) continue;
    const timed = TIMED_HEADS[head] && timeLogged && phrase.modifiers.length === 0
      ? plainPhrase(TIMED_HEADS[head])
      : undefined;
    const object = role(timed ?? phrase);
    if (seen.has(object.entity)) continue;
    // A concept names the phrase's head ("hive inspection" → inspection), not a modifier:
    // "student pilot logbook" is no school product.
    const reading = timed ?? phrase;
    const lowHead = reading.head.toLowerCase();
    // "near-misses": a hyphenated head also answers to its last part ("miss").
    const lastPart = lowHead.split("-").at(-1) ?? lowHead;
    const partNoun = lastPart.length >= 4 && nounKind(singularise(lastPart)) !== undefined;
    const heads = new Set([lowHead, singularise(lowHead)]);
    if (partNoun) heads.add(lastPart).add(singularise(lastPart));
    // "a runbook library", "a family recipe archive": a collection's concept is its contents';
    // "daycare check-in" is the daycare's.
    const contents = CONTAINER_HEADS.has(head) ? phrase.modifiers.at(-1)?.toLowerCase() : undefined;
    // …but not an activity's: "a maintenance log" keeps service records, not repair requests.
    const contentsKind = contents ? nounKind(singularise(contents)) : undefined;
    if (contents && !["abstract", "task", "event"].includes(contentsKind ?? "")) {
      heads.add(singularise(contents));
    }
    const acted = parsed.actions.some((action) => action.object === phrase);
    const lexical = nounKind(reading.core.one.toLowerCase()) ?? wordKind(reading.head);
    const found = conceptsForPhrase(reading.noun.one.toLowerCase().split(" "), {
      context: parsed.words,
    }).filter((concept) =>
      concept.terms.some((term) =>
        heads.has(singularise(term.toLowerCase().split(/[ -]/).at(-1) ?? ""))
      ) &&
      // What the directive schedules or plans is a thing: a concept reading it as a body of
      // people ("class" as a school class, for "schedule classes") is another domain's.
      !(acted && PEOPLE_KINDS.has(concept.kind) && lexical && !PEOPLE_KINDS.has(lexical))
    );
    // "sell tickets", "sell prints": what the directive sells is goods, whatever else the
    // word names (a support ticket, a printed document).
    const sold = parsed.actions.some((action) =>
      action.object === phrase && SELLING_VERBS.has(action.verb)
    );
    const read = kindOf(reading, found);
    const named = sold && found.length === 0 && SOLD_AS_GOODS.has(read) ? "product" : read;
    // The directive's actors are people (or bodies of them) whatever WordNet lacks.
    const kind = actors.has(phrase) && !PEOPLE_KINDS.has(named) ? "person" : named;
    // "a citizen science app": a modifier of the product word that is a field or a person
    // says what the product is about, not a record it keeps.
    if (phrase.weak && (kind === "skill" || kind === "person")) continue;
    // A person's concepts belong to their own domain ("student" → school), not the product's.
    const concepts = kind === "person" ? [] : found;
    seen.add(object.entity);
    if (phrase.aside) asides.add(object.entity);
    const verbs = parsed.actions.filter((action) =>
      action.object &&
      (action.object === phrase || pascal(bookedThing(action.object).core.one) === object.entity)
    ).map((action) => action.verb);
    out.push({ role: object, kind, concepts, verbs: [...new Set(verbs)] });
  }
  // The main object is a thing, not a body of people, when the directive names one.
  // A thing of a purpose clause ("so owners wait in the car") is context, never promoted.
  const thing = out.findIndex((o) =>
    !["person", "organisation", "group"].includes(o.kind) && !asides.has(o.role.entity)
  );
  if (thing > 0) out.unshift(...out.splice(thing, 1));
  return out.slice(0, 8);
}

function defaultRole(one: string): Role {
  return role(plainPhrase(one));
}

function classify(parsed: ParsedDirective) {
  const lemmas = new Set([...parsed.lemmas, ...parsed.productWords]);
  const scores = ARCHETYPE_ORDER.map((archetype, order) => {
    let score = 0;
    for (const [word, weight] of Object.entries(archetype.keywords)) {
      if (lemmas.has(word)) score += weight;
    }
    return { id: archetype.id, score, order };
  });
  scores.sort((a, b) => b.score - a.score || a.order - b.order);
  return { lemmas, scores: scores.map(({ id, score }) => ({ id, score })) };
}

/** Archetypes whose directive actors are usually the customers, not the suppliers. */
const CUSTOMER_LED = new Set<ArchetypeId>(["commerce", "logistics-on-demand"]);

/** Heads that are the supply side even in customer-led archetypes. */
const SUPPLIER_HEADS = new Set(["courier", "driver", "messenger", "rider", "mover", "walker"]);

/** Archetypes whose counterpart is a colleague (a manager, an admin), not a customer. */
const INTERNAL = new Set<ArchetypeId>(["internal-b2b-ops", "developer-api"]);

/**
 * Picks the primary and secondary users from the directive's actors, and with the primary
 * known, the archetype variant and its default roles.
 */
function assignRoles(parsed: ParsedDirective, archetype: Archetype, lemmas: ReadonlySet<string>) {
  const supplyRoleIsPrimary = archetype.id !== "commerce";
  const supplier = parsed.actions.find((action) => action.subject && SUPPLY_VERBS.has(action.verb))
    ?.subject ?? parsed.actors.find((actor) => SUPPLIER_HEADS.has(actor.head));
  let primary: Phrase | undefined;
  let secondary: Phrase | undefined;
  if (supplier) {
    const other = parsed.actors.find((actor) => actor.core.one !== supplier.core.one);
    [primary, secondary] = supplyRoleIsPrimary ? [supplier, other] : [other, supplier];
  } else {
    [primary, secondary] = parsed.actors;
    if (CUSTOMER_LED.has(archetype.id) && primary && !secondary) {
      [primary, secondary] = [undefined, primary];
    }
  }
  const primaryRole = primary ? role(primary) : defaultRole(archetype.roles.primary);
  const variant = archetype.variant?.({ primary: primaryRole.noun.one, lemmas }) ?? "";
  const defaults = { ...archetype.roles, ...archetype.variantRoles?.[variant] };
  const head = primary?.head ?? archetype.roles.primary;
  const animal = primary?.modifiers.find((modifier) => OWNED_ANIMALS.has(modifier));
  const peers = parsed.actions.some((action) =>
    action.subject === primary && primary && PEER_VERBS.has(action.verb)
  );
  const counterpart = INTERNAL.has(archetype.id) || archetype.variantRoles?.[variant]?.secondary
    ? defaults.secondary
    : peers
    ? `fellow ${head}`
    : animal
    ? `${animal} owner`
    : COUNTERPARTS[head] ?? defaults.secondary;
  let secondaryRole = secondary ? role(secondary) : defaultRole(counterpart);
  if (secondaryRole.entity === primaryRole.entity) {
    secondaryRole = defaultRole(
      defaults.secondary === primaryRole.noun.one ? "client" : defaults.secondary,
    );
  }
  return { primary: primaryRole, secondary: secondaryRole, variant, defaults };
}

/** The directive's phrase for a role, if the role came from the directive. */
function primaryPhrase(parsed: ParsedDirective, primary: Role): Phrase | undefined {
  return parsed.actors.find((actor) => role(actor).entity === primary.entity);
}

/** People and bodies of people. */
export const PEOPLE_KINDS: ReadonlySet<Kind> = new Set<Kind>(["person", "organisation", "group"]);

/** Recent analyses by directive: the five stages of one blueprint parse it once. */
const recent = new Map<string, Analysis>();
const RECENT_LIMIT = 64;

/** Analyses a directive: parse, classify, assign roles. Deterministic (and so cached). */
export function analyse(directive: string): Analysis {
  const known = recent.get(directive);
  if (known) return known;
  const analysis = analyseOnce(directive);
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(directive, analysis);
  return analysis;
}

/** Whether a phrase's last word names people ("dog groomers"). */
function namesPeople(words: string): boolean {
  const last = words.toLowerCase().split(/[^a-z]+/).filter(Boolean).at(-1) ?? "";
  const one = singularise(last);
  // "film production crews", "choirs": bodies of people are people here too.
  const kind = nounKind(one);
  return isActor(one) || (kind !== undefined && PEOPLE_KINDS.has(kind));
}

function analyseOnce(directive: string): Analysis {
  const parsed = parseDirective(rewriteAnalogy(directive, namesPeople));
  const { lemmas, scores } = classify(parsed);
  // With no signal at all, a general productivity tool is the least surprising reading.
  const best = scores[0].score > 0 ? scores[0].id : "saas-tool";
  const archetype = ARCHETYPE_ORDER.find((a) => a.id === best) ?? ARCHETYPE_ORDER[0];
  const { primary, secondary, variant, defaults } = assignRoles(parsed, archetype, lemmas);
  // Objects that name one of the archetype's own entities ("budget", "order") are built in.
  const taken = new Set([
    primary.entity,
    secondary.entity,
    ...archetype.entities.filter((entity) =>
      !entity.name.startsWith("$") &&
      (entity.only === undefined || entity.only === variant || entity.only.includes(variant))
    ).map((entity) => entity.name),
  ]);
  // An acronym ("an SMS reminder service") names a channel or format, not a thing to model.
  const usable = (phrase: Phrase) =>
    !BUILT_IN_OBJECTS.has(phrase.head) && !ACRONYMS.has(phrase.head.toLowerCase()) &&
    !taken.has(pascal(phrase.core.one));
  // What an actor acts on, or what the archetype's own verb acts on ("to rent desks"), is
  // the main object; then things named outright; then the product's modifiers ("a kanban
  // planner").
  const objects = [
    ...parsed.actions.flatMap((action) =>
      action.object && !TOPIC_VERBS.has(action.verb) &&
        (action.subject || BOOKING_VERBS.has(action.verb))
        ? [action.object]
        : []
    ),
    ...parsed.objects.filter((phrase) => !phrase.weak && !phrase.aside),
    ...parsed.objects.filter((phrase) => phrase.weak),
    ...parsed.objects.filter((phrase) => phrase.aside && !phrase.weak),
  ].map(bookedThing).filter(usable);
  const typedAll = typedObjects(parsed);
  // The main object is a thing; a directive naming only people gets its archetype's default.
  const hasThing = typedAll[0] && !PEOPLE_KINDS.has(typedAll[0].kind);
  const typed = hasThing ? typedAll : [];
  // "a CRM for florists": with no thing named, a product word a concept knows names it (deals).
  // "an app for my bakery": else the concept of a body the directive serves (preorders).
  const productConcept = [
    ...parsed.productWords,
    ...parsed.actors.filter((actor) => ORGANISATIONS.has(actor.head)).map((actor) => actor.head),
  ].map((word) => conceptsForTerm(word)[0]).find((concept) => concept !== undefined);
  const object = typed[0]?.role ??
    (objects[0]
      ? role(objects[0])
      : productConcept
      ? defaultRole(productConcept.id.replace(/-/g, " "))
      : defaultRole(defaults.object));
  const mainAction =
    parsed.actions.find((action) =>
      action.object && pascal(bookedThing(action.object).core.one) === object.entity
    ) ?? parsed.actions.find((action) => action.subject !== null) ?? parsed.actions[0];
  const action = mainAction?.verb ?? defaults.action;
  const extraActions = parsed.actions.flatMap((candidate) => {
    if (!candidate.object || candidate === mainAction) return [];
    const extra = role(candidate.object);
    if (extra.entity === object.entity || !usable(candidate.object)) return [];
    if (BUILT_IN_OBJECTS.has(candidate.object.head)) return [];
    return [{ verb: candidate.verb, object: extra }];
  }).slice(0, 2);
  const vars: Record<string, string> = {
    p: primary.noun.one,
    ps: primary.noun.many,
    P: capitalise(primary.noun.one),
    Ps: capitalise(primary.noun.many),
    s: secondary.noun.one,
    ss: secondary.noun.many,
    S: capitalise(secondary.noun.one),
    Ss: capitalise(secondary.noun.many),
    o: object.noun.one,
    os: object.noun.many,
    O: capitalise(object.noun.one),
    Os: capitalise(object.noun.many),
    ao: `${article(object.noun.one)} ${object.noun.one}`,
    Ao: capitalise(`${article(object.noun.one)} ${object.noun.one}`),
    v: action,
    V: capitalise(action),
    vs: thirdPerson(action),
  };
  const routeVars = Object.fromEntries(
    Object.entries(vars).map(([key, value]) => [key, kebab(value)]),
  );
  return {
    directive: parsed.text,
    seed: hash32(parsed.text.toLowerCase()),
    parsed,
    lemmas,
    archetype,
    scores,
    variant,
    primary,
    secondary,
    object,
    action,
    objects: typed.length > 0 ? typed : [{
      // Nothing named: the archetype's default, made the directive's ("dog groomer service").
      // A concept's own thing ("a CRM for florists": deals) keeps its plain name.
      role: objects[0] || !primaryPhrase(parsed, primary) || productConcept
        ? object
        : role(plainPhrase(`${primary.noun.one} ${object.noun.one}`)),
      kind: wordKind(object.noun.one.split(" ").at(-1) ?? "") ?? "abstract",
      concepts: conceptsForPhrase(object.noun.one.toLowerCase().split(" ")),
      verbs: [action],
      implied: true,
    }, ...typedAll],
    extraActions,
    vars,
    routeVars,
  };
}

/** The verb after "he" or "she": "sell" → "sells", "teach" → "teaches", "get paid" → "gets paid". */
function thirdPerson(verb: string): string {
  const [first, ...rest] = verb.split(" ");
  const form = /[^aeiou]y$/.test(first)
    ? `${first.slice(0, -1)}ies`
    : /(?:s|x|z|ch|sh|o)$/.test(first)
    ? `${first}es`
    : `${first}s`;
  return [form, ...rest].join(" ");
}

function lowerFirst(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** Template entity tokens (`$P`, `$O`) and field tokens (`$pId`) for an analysis. */
export function entityVars(analysis: Analysis): Record<string, string> {
  return {
    $P: analysis.primary.entity,
    $S: analysis.secondary.entity,
    $O: analysis.object.entity,
    $p: lowerFirst(analysis.primary.entity),
    $s: lowerFirst(analysis.secondary.entity),
    $o: lowerFirst(analysis.object.entity),
  };
}
