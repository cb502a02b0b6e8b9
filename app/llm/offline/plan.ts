/**
 * The compositional core of the offline engine (issue 11): the blueprint's entities,
 * features, screens and flows derived from the directive's own objects. Each object is typed
 * into a semantic kind (WordNet lexicon, or the concept catalogue when it knows the term);
 * its features come from the directive's verb–object pairs first, then the concept's
 * capabilities, then what a PM expects of its kind. Interaction patterns (marketplace,
 * booking, …) are overlays that add their capabilities only when the directive's cues
 * reach their threshold. All knowledge is data (knowledge/*.json); this file only composes.
 */
import { slugify } from "../../blueprint/ids.ts";
import { type Analysis, PEOPLE_KINDS, type TypedObject } from "./analyse.ts";
import type {
  EntityTemplate,
  FeatureTemplate,
  FieldSpec,
  FlowTemplate,
  ScreenTemplate,
  StoryTemplate,
} from "./archetypes/types.ts";
import { KIND_PROFILES, OVERLAYS, RECORDS_BY_VERB } from "./knowledge/mod.ts";
import { domainScores, vocabularyEchoes } from "./knowledge/concepts.ts";
import type { Capability, Concept, Kind, Overlay } from "./knowledge/schema.ts";
import { article, capitalise, fill, kebab, pluralise } from "./text.ts";
import { KNOWN_VERBS } from "./lexicon.ts";
import { isVerb } from "./wordnet.ts";

export interface PlannedFeature extends FeatureTemplate {
  /** The directive object it is about. */
  object: string;
}

export interface Plan {
  features: PlannedFeature[];
  screens: ScreenTemplate[];
  entities: EntityTemplate[];
  flows: FlowTemplate[];
  overlays: Overlay[];
  risks: [string, string][];
  metrics: [string, string][];
  integrations: [string, string][];
}

/** Verbs that never make a feature title on their own. */
const WEAK_VERBS = new Set(
  `be have get make do help use let go come keep want need like love allow enable give take
  put set see say tell try work walk out respect mind own call page check wait arrive sleep
  live happen exist stay sit stand rise fall die lie belong appear matter underperform`.split(
    /\s+/,
  ),
);

/** Kinds whose objects are people or bodies acting, not things a verb feature acts on. */
const ACTOR_KINDS = new Set<Kind>(["person", "organisation"]);

const MAX_FEATURES = 18;

/** Verbs that say who runs a place ("we run a zoo", "I operate a marina"). */
const RUNNING_VERBS = new Set(["run", "operate", "manage", "own"]);

/** Kinds the users themselves can run: a place, a business, a group. */
const RUN_KINDS = new Set<Kind>(["place", "organisation", "group"]);

/** Capabilities a further object's concept of another domain adds (its P0s). */
const BORROWED = 2;

function objectVars(object: TypedObject, analysis: Analysis): Record<string, string> {
  const one = object.role.noun.one;
  const many = object.role.noun.many;
  return {
    ...analysis.vars,
    o: one,
    os: many,
    O: capitalise(one),
    Os: capitalise(many),
    ao: `${article(one)} ${one}`,
    Ao: capitalise(`${article(one)} ${one}`),
  };
}

function lowerFirst(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** `$O`/`$o` in entity and field specs → the object's entity name. */
function resolveSpec(spec: string, entity: string): string {
  return spec.replace(/\$O/g, entity).replace(/\$o/g, lowerFirst(entity));
}

function screenKey(object: TypedObject): string {
  return `screen-${kebab(object.role.noun.many)}`.slice(0, 60);
}

function story(story: Capability["stories"][number], t: (s: string) => string): StoryTemplate {
  return {
    as: story.as,
    want: t(story.want),
    soThat: t(story.soThat),
    criteria: story.criteria.map(t),
  };
}

function defaultStory(title: string, object: TypedObject): StoryTemplate {
  const many = object.role.noun.many;
  return {
    as: "p",
    want: `to use “${title.toLowerCase()}” for ${many}`,
    soThat: `${many} stay up to date without extra messages`,
    criteria: [`Every change to ${many} records who made it and when`],
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A concept's title names its own term ("Schedule recurring inspections"); the directive's
 * object is more specific ("elevator inspection"), so the title names that instead and two
 * products matching one concept do not read alike ("Schedule recurring elevator inspections").
 */
export function scopeTitle(title: string, terms: readonly string[], object: TypedObject): string {
  const one = object.role.noun.one.toLowerCase();
  const many = object.role.countable === false ? one : object.role.noun.many.toLowerCase();
  const lower = title.toLowerCase();
  const has = (phrase: string) => new RegExp(`\\b${escapeRegex(phrase)}\\b`, "i").test(lower);
  if (has(one) || has(many)) return title;
  const candidates = [...new Set(terms.map((term) => term.toLowerCase()))]
    .filter((term) => one.endsWith(term) && one !== term)
    .sort((a, b) => b.length - a.length);
  for (const term of candidates) {
    for (const [form, replacement] of [[pluralise(term), many], [term, one]] as const) {
      const regex = new RegExp(`\\b${escapeRegex(form)}\\b`, "i");
      const match = regex.exec(title);
      if (!match) continue;
      // "Vote once per member": a title opening with the bare term may use it as a verb.
      if (match.index === 0 && form === term && isVerb(term)) continue;
      const shown = match.index === 0 ? capitalise(replacement) : replacement;
      return title.slice(0, match.index) + shown + title.slice(match.index + form.length);
    }
  }
  return title;
}

/** A capability of a kind, concept or overlay, made concrete for one object. */
function featureOf(
  capability: Capability,
  object: TypedObject,
  analysis: Analysis,
  entity: string,
  source: string,
  terms: readonly string[] = [],
): PlannedFeature {
  const vars = objectVars(object, analysis);
  const t = (s: string) => fill(s, vars);
  const title = undoubled(scopeTitle(t(capability.title), terms, object), object);
  return {
    key: slugify(`${source}-${capability.key}`, "feature").slice(0, 40).replace(/-+$/, ""),
    title,
    description: t(capability.description),
    priority: capability.priority,
    stories: capability.stories.length > 0
      ? capability.stories.map((s) => story(s, t))
      : [defaultStory(title, object)],
    screen: screenKey(object),
    entity,
    action: capability.action
      ? {
        method: capability.action.method,
        path: capability.action.path.replace("{id}", ":id"),
        purpose: t(capability.action.purpose),
      }
      : undefined,
    object: object.role.entity,
  };
}

/**
 * "Report an incident report" → "Report an incident": a title whose verb is the object's head
 * names the object by what comes before the head.
 */
export function undoubled(text: string, object: TypedObject): string {
  // "Log quality reading readings": a word right before its own plural is said once.
  const title = text.replace(/\b(\w+) \1s\b/gi, "$1s");
  const words = object.role.noun.one.split(" ");
  const head = words.at(-1)!.toLowerCase();
  if (words.length < 2 || title.split(" ")[0].toLowerCase() !== head) return title;
  const rest = words.slice(0, -1).join(" ");
  return title.replace(object.role.noun.many, pluralise(rest)).replace(object.role.noun.one, rest);
}

/** "plan" + rehearsals → "Plan rehearsals"; only real verbs acting on things. */
function verbFeature(
  verb: string,
  object: TypedObject,
  analysis: Analysis,
  priority: "P0" | "P1",
): PlannedFeature | undefined {
  if (WEAK_VERBS.has(verb) || ACTOR_KINDS.has(object.kind)) return undefined;
  // "we run a small zoo": running or owning the place is who the users are, not a feature.
  if (RUNNING_VERBS.has(verb) && RUN_KINDS.has(object.kind)) {
    return undefined;
  }
  if (!KNOWN_VERBS.has(verb) && (!isVerb(verb) || object.kind === "abstract")) return undefined;
  const one = object.role.noun.one;
  const many = object.role.countable ? object.role.noun.many : one;
  const an = object.role.countable ? `${article(one)} ${one}` : one;
  return {
    key: slugify(`${verb} ${many}`, "feature").slice(0, 40).replace(/-+$/, ""),
    title: `${capitalise(verb)} ${many}`,
    description: fill(
      `{Ps} ${verb} ${many} in one place, with status, dates and history, instead of scattered notes and messages.`,
      analysis.vars,
    ),
    priority,
    stories: [{
      as: "p",
      want: `to ${verb} ${many} in a few taps`,
      soThat: `nothing about ${many} gets lost`,
      criteria: [
        `${capitalise(an)} can be recorded in under 30 seconds with only the essentials`,
        `Every change to ${an} records who made it and when`,
      ],
    }],
    screen: screenKey(object),
    entity: object.role.entity,
    object: object.role.entity,
  };
}

/**
 * Whether an overlay's cues in the directive reach its threshold. A cue of `verbCues` counts
 * only as one of the directive's actions when `verbs` is given: "vote on the next book" books
 * nothing.
 */
export function overlayApplies(
  overlay: Overlay,
  lemmas: ReadonlySet<string>,
  text: string,
  verbs?: ReadonlySet<string>,
) {
  let score = 0;
  for (const [cue, weight] of Object.entries(overlay.cues)) {
    const found = cue.includes(" ")
      ? text.includes(cue)
      : lemmas.has(cue) && (!verbs || !overlay.verbCues.includes(cue) || verbs.has(cue));
    if (found) score += weight;
  }
  return score >= overlay.minScore;
}

/**
 * The lemmas a pattern's cues are looked for in: a word that only describes the people
 * ("a small ecommerce team") says who they are, not what the product does.
 */
function patternLemmas(analysis: Analysis): ReadonlySet<string> {
  const describing = new Set(
    analysis.parsed.actors.flatMap((actor) => [...actor.modifiers, ...actor.adjectives])
      .map((word) => word.toLowerCase()),
  );
  if (describing.size === 0) return analysis.lemmas;
  const elsewhere = new Set(
    [...analysis.parsed.objects, ...analysis.parsed.actors].flatMap((phrase) => [
      phrase.head.toLowerCase(),
      ...(analysis.parsed.actors.includes(phrase) ? [] : phrase.modifiers),
    ]).map((word) => word.toLowerCase()),
  );
  return new Set(
    [...analysis.lemmas].filter((lemma) => !describing.has(lemma) || elsewhere.has(lemma)),
  );
}

const cache = new WeakMap<Analysis, Plan>();

/** The plan of a directive; the same analysis gives the same (cached) plan. */
export function planBlueprint(analysis: Analysis): Plan {
  const cached = cache.get(analysis);
  if (cached) return cached;
  const plan = compose(analysis);
  cache.set(analysis, plan);
  return plan;
}

function compose(analysis: Analysis): Plan {
  const objects = analysis.objects;
  const main = objects[0];
  const features: PlannedFeature[] = [];
  const entities: EntityTemplate[] = [];
  const risks: [string, string][] = [];
  const metrics: [string, string][] = [];
  const integrations: [string, string][] = [];
  const entityNames = new Set(["User"]);
  // The directive's own domain is that of the first concept it supports twice over (two of
  // the domain's terms, or two words of the concept's capabilities, stories or entities),
  // else the first concept of the main object or the one after it; further objects'
  // concepts of other domains are borrowed. One shared word is no support: "photos" does not
  // make a dog walker a courier.
  const domainScore = new Map(domainScores(analysis.parsed.words));
  const supported = (concept: Concept) =>
    (domainScore.get(concept.domain) ?? 0) >= 2 ||
    vocabularyEchoes(concept, analysis.lemmas) >= 2;
  const ownDomain = objects.flatMap((object) => object.concepts).find(supported)?.domain ??
    objects.slice(0, 2).flatMap((object) => object.concepts)[0]?.domain;

  // The directive's own things keep their names: a concept's companion named like a later
  // object ("Customer") waits for that object's entity, which carries its kind and concepts.
  const objectNames = new Set(objects.map((object) => object.role.entity));
  const addEntity = (entity: EntityTemplate, own = false) => {
    if (entityNames.has(entity.name)) return;
    if (!own && objectNames.has(entity.name)) return;
    entityNames.add(entity.name);
    entities.push(entity);
  };

  for (const [index, object] of objects.entries()) {
    const profile = KIND_PROFILES.get(object.kind);
    const vars = objectVars(object, analysis);
    const t = (s: string) => fill(s, vars);
    const name = object.role.entity;
    const fields = new Set<string>([
      ...(index > 0 && main && !ACTOR_KINDS.has(object.kind)
        ? [`${lowerFirst(main.role.entity)}Id:uuid>${main.role.entity}`]
        : []),
      ...(profile?.fields ?? []),
      ...object.concepts.flatMap((concept) => concept.fields),
      "createdAt:timestamp!",
    ].map((spec) => resolveSpec(spec, name)));
    // One field per name: the first spec wins.
    const byName = new Map<string, string>();
    for (const spec of fields) {
      const field = spec.split(":")[0];
      if (!byName.has(field)) byName.set(field, spec);
    }
    addEntity({
      name,
      description: capitalise(
        `${article(object.role.noun.one)} ${object.role.noun.one} ${
          object.kind === "abstract" ? "the product keeps" : `(${object.kind})`
        } named in the directive.`,
      ),
      fields: [...byName.values()].slice(0, 24) as FieldSpec[],
      api: "crud",
    }, true);
    // What a PM expects beside a thing of its kind (a reading's alert rule, equipment's
    // location), for the directive's first three things.
    const conceptEntities = object.concepts.some((concept) => concept.related.length > 0);
    const head = object.role.noun.one.toLowerCase().split(" ").at(-1) ?? "";
    const kindRelated = (!conceptEntities || profile?.relatedBesideConcepts !== false) &&
      (!profile?.relatedHeads.length || profile.relatedHeads.includes(head));
    if (index < 3 && !object.implied && kindRelated) {
      for (const related of profile?.related ?? []) {
        if (related.name === name) continue;
        addEntity({
          name: related.name,
          description: t(related.description),
          fields: related.fields.map((spec) => resolveSpec(spec, name)) as FieldSpec[],
          api: "crud",
        });
      }
    }
    for (const concept of object.concepts) {
      for (const related of concept.related) {
        addEntity({
          name: resolveSpec(related.name, name),
          description: t(related.description),
          fields: related.fields.map((spec) => resolveSpec(spec, name)) as FieldSpec[],
          api: "crud",
        });
      }
      risks.push(...concept.risks.map(([risk, mitigation]) =>
        [t(risk), t(mitigation)] as [
          string,
          string,
        ]
      ));
      metrics.push(...concept.metrics.map(([m, target]) => [t(m), t(target)] as [string, string]));
      integrations.push(...concept.integrations.map(([n, p]) => [n, t(p)] as [string, string]));
    }
    // "beekeepers claim swarms": the act on a thing is a record of its own (Claim).
    // People are never a verb's object here ("dispatch technicians" keeps no Delivery).
    const onPeople = ACTOR_KINDS.has(object.kind) || object.kind === "group" || object.implied;
    for (const verb of onPeople ? [] : object.verbs) {
      const record = RECORDS_BY_VERB.get(verb);
      if (!record || record.name === name) continue;
      {
        addEntity({
          name: record.name,
          description: t(record.description),
          fields: [...record.fields, "createdAt:timestamp!"].map((spec) => resolveSpec(spec, name))
            .filter((spec, i, all) =>
              all.findIndex((other) => other.split(":")[0] === spec.split(":")[0]) === i
            ) as FieldSpec[],
          api: "crud",
        });
      }
    }
    // The directive's own verbs first.
    for (const verb of object.verbs) {
      const feature = verbFeature(verb, object, analysis, index === 0 ? "P0" : "P1");
      if (feature) features.push(feature);
    }
    for (const concept of object.concepts) {
      // A concept of another domain than the directive's own, met on a further object, adds
      // its essentials only: "action items" in a postmortem tool are not a task manager.
      const borrowed = index > 0 && concept.domain !== ownDomain;
      const capabilities = borrowed
        ? concept.capabilities.filter((c) => c.priority === "P0").slice(0, BORROWED)
        : concept.capabilities;
      for (const capability of capabilities) {
        features.push(
          featureOf(capability, object, analysis, name, `${concept.id}`, concept.terms),
        );
      }
    }
    // People are records (a Patient, a Client), not features of their own: their directory
    // would read the same in every product that serves them.
    const kindCapabilities = object.kind === "person" ? [] : profile?.capabilities ?? [];
    // Further objects get fewer of their kind's defaults; a concept already says more.
    // A concept that already lists four capabilities or more needs no kind default beside it.
    const conceptCapabilities = object.concepts.reduce((n, c) => n + c.capabilities.length, 0);
    // "we run a small zoo": the users' own place gets no directory or availability of its own.
    const ownPlace = RUN_KINDS.has(object.kind) &&
      object.verbs.some((verb) => RUNNING_VERBS.has(verb));
    const room = conceptCapabilities >= 4 || ownPlace
      ? 0
      : object.concepts.length > 0
      ? 1
      : index === 0
      ? 4
      : index < 3
      ? 2
      : 1;
    const fitting = kindCapabilities.filter((capability) =>
      !capability.heads || capability.heads.includes(head)
    );
    for (const capability of fitting.slice(0, room)) {
      const feature = featureOf(capability, object, analysis, name, `${kebab(name)}`);
      if (index > 0 && feature.priority === "P0") feature.priority = "P1";
      features.push(feature);
    }
    if (profile) {
      risks.push(...profile.risks.map(([risk, mitigation]) =>
        [t(risk), t(mitigation)] as [
          string,
          string,
        ]
      ));
    }
  }

  const overlays = main
    ? OVERLAYS.filter((overlay) =>
      overlayApplies(
        overlay,
        patternLemmas(analysis),
        analysis.directive.toLowerCase(),
        new Set(analysis.parsed.actions.map((action) => action.verb)),
      )
    )
    : [];
  for (const overlay of overlays) {
    // "a booking tool for a community darkroom with chemical stock tracking": the darkroom
    // is booked, not the chemical stock.
    // "season subscriptions": a thing named by one of the pattern's own cues is its subject.
    const cued = objects.find((object) =>
      !PEOPLE_KINDS.has(object.kind) &&
      object.role.noun.one.toLowerCase().split(" ").some((word) => word in overlay.cues)
    );
    // "book MOT tests": what the pattern's own verb acts on comes first.
    const acted = objects.find((object) =>
      !PEOPLE_KINDS.has(object.kind) && object.verbs.some((verb) => verb in overlay.cues)
    );
    const subject = acted ?? cued ??
      objects.find((object) => overlay.targets.includes(object.kind)) ?? main;
    const vars = objectVars(subject, analysis);
    for (const entity of overlay.entities) {
      addEntity({
        name: resolveSpec(entity.name, subject.role.entity),
        description: fill(entity.description, vars),
        fields: entity.fields.map((spec) => resolveSpec(spec, subject.role.entity)) as FieldSpec[],
        api: "crud",
      });
    }
    for (const capability of overlay.capabilities) {
      const target = overlay.entities[0]
        ? resolveSpec(overlay.entities[0].name, subject.role.entity)
        : subject.role.entity;
      features.push(featureOf(capability, subject, analysis, target, overlay.id));
    }
    risks.push(
      ...overlay.risks.map(([risk, mitigation]) =>
        [fill(risk, vars), fill(mitigation, vars)] as [string, string]
      ),
    );
  }

  // A concept's field may point at a thing the directive implies ("hiveId" → Hive): model it.
  for (const entity of [...entities]) {
    for (const spec of entity.fields) {
      const target = /^[^:]+:[a-z]+!?u?>([A-Z][A-Za-z0-9]*)$/.exec(spec)?.[1];
      if (!target || entityNames.has(target)) continue;
      const words = kebab(target).replace(/-/g, " ");
      addEntity({
        name: target,
        description: capitalise(
          `${article(words)} ${words} that ${
            kebab(entity.name).replace(/-/g, " ")
          } records belong to.`,
        ),
        fields: ["name:text!", "notes:text", "createdAt:timestamp!"],
        api: "crud",
      });
    }
  }

  // One feature per key and per title; directive verbs and concepts lead within a priority.
  const keys = new Set<string>();
  const titles = new Set<string>();
  const order = { P0: 0, P1: 1, P2: 2 };
  const unique = features.filter((feature) => {
    const title = feature.title.toLowerCase();
    if (keys.has(feature.key) || titles.has(title)) return false;
    keys.add(feature.key);
    titles.add(title);
    return true;
  }).sort((a, b) => order[a.priority] - order[b.priority]).slice(0, MAX_FEATURES);

  const screens: ScreenTemplate[] = [{
    key: "overview",
    name: "Overview",
    route: "/",
    purpose: fill(
      main
        ? `What needs attention today across ${
          objects.slice(0, 3).map((o) => o.role.noun.many).join(", ")
        }.`
        : "What needs attention today.",
      analysis.vars,
    ),
    sections: ["Needs attention", "Recent activity", "Shortcuts"],
    primaryAction: main ? `New ${main.role.noun.one}` : "Get started",
    nav: "Overview",
  }];
  for (const object of objects) {
    const own = unique.filter((feature) => feature.screen === screenKey(object));
    if (own.length === 0) continue;
    const Many = capitalise(object.role.noun.many);
    screens.push({
      key: screenKey(object),
      name: Many,
      route: `/${kebab(object.role.noun.many)}`,
      purpose: `${own.map((feature) => feature.title).slice(0, 3).join(", ")}.`,
      sections: [`${Many} list`, `${capitalise(object.role.noun.one)} detail`, "Filters"].concat(
        own.slice(0, 5).map((feature) => feature.title),
      ).slice(0, 8),
      primaryAction: `New ${object.role.noun.one}`,
      nav: Many,
    });
  }

  const flows: FlowTemplate[] = [];
  if (main) {
    const mainFeatures = unique.filter((feature) => feature.priority !== "P2").slice(0, 5);
    flows.push({
      key: `first-${kebab(main.role.noun.one)}`.slice(0, 60),
      name: `First ${main.role.noun.one}`,
      goal: `A new user records their first ${main.role.noun.one} and sees it where it matters.`,
      steps: [
        ["overview", "Sign in with a passkey or an email link"],
        ...mainFeatures.map((feature) =>
          [feature.screen, `Use “${feature.title}”`] as [string, string]
        ),
      ],
    });
  }

  const seenRisk = new Set<string>();
  const dedupe = <T extends [string, string]>(list: T[]) =>
    list.filter(([a]) => !seenRisk.has(a) && seenRisk.add(a));
  return {
    features: unique,
    screens,
    entities,
    flows,
    overlays,
    risks: dedupe(risks).slice(0, 5),
    metrics: metrics.slice(0, 3),
    integrations: integrations.slice(0, 3),
  };
}
