import assert from "node:assert/strict";
import { conceptFileSchema, fieldSpec } from "./schema.ts";
import {
  CONCEPT_FILES,
  CONCEPTS,
  conceptsForPhrase,
  conceptsForTerm,
  createConceptIndex,
  domainScores,
  normaliseTerm,
  parseConceptFiles,
} from "./concepts.ts";

const ids = (list: readonly { id: string }[]) => list.map((concept) => concept.id);

Deno.test("every concept file is valid and an invalid one is rejected by name", () => {
  for (const [name, data] of Object.entries(CONCEPT_FILES)) {
    const parsed = conceptFileSchema.safeParse(data);
    assert(parsed.success, `concepts/${name}.json: ${parsed.error?.message}`);
  }
  const broken = { concepts: [{ ...CONCEPTS[0], kind: "vibe" }] };
  assert.throws(() => parseConceptFiles({ broken }), /concepts\/broken\.json is invalid/);
});

Deno.test("the catalogue is broad: many concepts across many domains", () => {
  const domains = new Set(CONCEPTS.map((concept) => concept.domain));
  assert(CONCEPTS.length >= 300, `only ${CONCEPTS.length} concepts`);
  assert(domains.size >= 35, `only ${domains.size} domains`);
});

Deno.test("concept ids are unique across the catalogue", () => {
  const seen = new Set<string>();
  for (const concept of CONCEPTS) {
    assert(!seen.has(concept.id), `duplicate concept id ${concept.id}`);
    seen.add(concept.id);
  }
});

Deno.test("capability keys are unique within each concept", () => {
  for (const concept of CONCEPTS) {
    const keys = concept.capabilities.map((capability) => capability.key);
    assert.deepEqual(new Set(keys).size, keys.length, `${concept.id} repeats a capability key`);
  }
});

Deno.test("every field of every concept and related entity parses", () => {
  for (const concept of CONCEPTS) {
    const specs = [...concept.fields, ...concept.related.flatMap((entity) => entity.fields)];
    for (const spec of specs) {
      assert(fieldSpec.safeParse(spec).success, `${concept.id}: bad field ${spec}`);
    }
  }
});

Deno.test("no term is claimed by two concepts of the same domain", () => {
  const owner = new Map<string, string>();
  for (const concept of CONCEPTS) {
    for (const term of new Set(concept.terms.map(normaliseTerm))) {
      const key = `${concept.domain}:${term}`;
      const previous = owner.get(key);
      assert(previous === undefined, `"${term}" is claimed by ${previous} and ${concept.id}`);
      owner.set(key, concept.id);
    }
  }
});

Deno.test("terms are lower case and titles are short and specific", () => {
  for (const concept of CONCEPTS) {
    for (const term of concept.terms) assert.deepEqual(term, term.toLowerCase(), concept.id);
    for (const { title } of concept.capabilities) {
      assert(!/^Manage\b/.test(title), `${concept.id}: vague title "${title}"`);
      assert(title.split(" ").length <= 9, `${concept.id}: long title "${title}"`);
    }
  }
});

Deno.test("every concept is a PM's full entry: 3+ capabilities, a P0 with a testable story", () => {
  for (const concept of CONCEPTS) {
    assert(concept.capabilities.length >= 3, `${concept.id}: fewer than 3 capabilities`);
    const p0 = concept.capabilities.filter((capability) => capability.priority === "P0");
    assert(p0.length > 0, `${concept.id}: no P0 capability`);
    const story = p0.flatMap((capability) => capability.stories)[0];
    assert(story && story.criteria.length >= 2, `${concept.id}: no P0 story with 2+ criteria`);
    assert(
      concept.risks.length > 0 && concept.metrics.length > 0,
      `${concept.id}: no risk or metric`,
    );
  }
});

Deno.test("templates use only the engine's placeholders", () => {
  const known = new Set(["o", "os", "O", "Os", "ao", "p", "ps", "P", "Ps", "s", "ss", "S", "Ss"]);
  for (const concept of CONCEPTS) {
    const texts = concept.capabilities.flatMap((capability) => [
      capability.title,
      capability.description,
      ...capability.stories.flatMap((story) => [story.want, story.soThat, ...story.criteria]),
    ]);
    for (const text of [...texts, ...concept.risks.flat(), ...concept.metrics.flat()]) {
      for (const [, name] of text.matchAll(/\{([^}]*)\}/g)) {
        assert(known.has(name), `${concept.id}: unknown placeholder {${name}} in "${text}"`);
      }
    }
  }
});

Deno.test("conceptsForTerm finds single and multi-word terms, tolerant of case and plurals", () => {
  const cases: [string, string][] = [
    ["incident", "incident"],
    ["Incidents", "incident"],
    ["escalation policy", "escalation-policy"],
    ["on-call rotation", "on-call-rotation"],
  ];
  for (const [term, id] of cases) assert(ids(conceptsForTerm(term)).includes(id), term);
  assert.deepEqual(conceptsForTerm("zzzz qwerty"), []);
  assert.deepEqual(conceptsForTerm("  "), []);
});

Deno.test("conceptsForPhrase matches the longest term before single words", () => {
  const cases: [string[], string][] = [
    [["spare", "ICU", "beds"], "icu-bed"],
    [["weekly", "hive", "inspection"], "hive-inspection"],
    [["error", "budget", "alerts"], "slo"],
  ];
  for (const [words, id] of cases) {
    assert.deepEqual(ids(conceptsForPhrase(words))[0], id, words.join(" "));
  }
  const hive = ids(conceptsForPhrase(["hive", "inspection"]));
  assert(!hive.includes("hive"), "a word covered by a longer term is not matched alone");
  assert.deepEqual(conceptsForPhrase(["asdf", "qwerty"]), []);
});

Deno.test("a term the shipped catalogue gives several concepts belongs to different domains", () => {
  const owners = new Map<string, { id: string; domain: string }[]>();
  for (const concept of CONCEPTS) {
    for (const term of new Set(concept.terms.map(normaliseTerm))) {
      const previous = owners.get(term) ?? [];
      assert(
        !previous.some((other) => other.domain === concept.domain),
        `"${term}" is claimed twice in ${concept.domain} (${concept.id})`,
      );
      owners.set(term, [...previous, { id: concept.id, domain: concept.domain }]);
    }
  }
  const shared = [...owners.values()].filter((claims) => claims.length > 1);
  // Shared terms are the exception: each needs the directive's other words to pick a domain.
  assert.ok(shared.length <= 12, `${shared.length} shared terms`);
});

Deno.test("a shared term of the shipped catalogue takes the domain the directive's words support", () => {
  const cases: [words: string, term: string, id: string][] = [
    ["an on-call scheduling and incident paging tool for small SRE teams", "incident", "incident"],
    [
      "track allergy incidents at a primary school and notify parents",
      "incident",
      "safety-incident",
    ],
    ["let tenants of a housing coop vote on budget proposals", "proposal", "member-vote"],
    ["send a sales proposal and price quote to clients", "proposal", "sales-quote"],
  ];
  for (const [words, term, id] of cases) {
    const found = conceptsForPhrase([term], { context: words.split(" ") }).map((c) => c.id);
    assert.deepEqual(found, [id], words);
  }
});

Deno.test("a term several domains claim resolves by the directive's other words", () => {
  const concept = (id: string, domain: string, terms: string[]) => ({
    ...CONCEPTS[0],
    id,
    domain,
    terms,
  });
  const index = createConceptIndex([
    concept("support-ticket", "it", ["ticket", "help desk", "laptop"]),
    concept("event-ticket", "events", ["ticket", "festival", "door"]),
  ]);
  const cases: [context: string, id: string][] = [
    ["a help desk where employees raise tickets about laptops", "support-ticket"],
    ["sell tickets for our summer festival and scan them at the door", "event-ticket"],
  ];
  for (const [context, id] of cases) {
    assert.deepEqual(ids(index.forPhrase(["tickets"], { context: context.split(" ") })), [id]);
  }
  const both = ids(index.forPhrase(["ticket"]));
  assert.deepEqual(both, ["support-ticket", "event-ticket"], "without context all claimants");
  assert.deepEqual(
    ids(index.forPhrase(["ticket"], { context: ["unrelated", "words"] })),
    ["support-ticket", "event-ticket"],
    "a context that supports neither keeps both",
  );
});

Deno.test("domainScores counts a domain's terms in the directive, plural or singular", () => {
  const scores = domainScores(
    "an app for beekeepers to log hive inspections and honey harvests".split(" "),
  );
  const best = [...scores].sort((a, b) => b[1] - a[1])[0];
  assert.deepEqual(best, ["beekeeping", 3], "hive, hive inspection, honey harvest");
  assert.equal(scores.get("sre"), undefined);
});

Deno.test("the objects of directives the old engine got wrong find their concepts", () => {
  const cases: [phrase: string, id: string][] = [
    ["incident paging", "incident"],
    ["on call schedule", "on-call-rotation"],
    ["invasive plant sightings", "sighting"],
    ["community choir", "band"],
    ["rehearsals", "rehearsal"],
    ["concerts", "concert"],
    ["spare icu beds", "icu-bed"],
    ["hive inspections", "hive-inspection"],
    ["grant deadlines", "grant-application"],
    ["unused tractors", "farm-equipment"],
    ["barbershops", "salon-appointment"],
    ["long distance hikers", "trail"],
    ["live captioning", "captioning"],
    ["subtitle jobs", "subtitle-job"],
    ["road closures", "road-closure"],
    ["ripeness", "crop"],
    ["ingredients", "recipe"],
    ["group rides", "sports-club"],
  ];
  for (const [phrase, id] of cases) {
    assert.equal(ids(conceptsForPhrase(phrase.split(" ")))[0], id, phrase);
  }
});

Deno.test("everyday words of any directive do not pull in a domain", () => {
  const generic = `user account app platform tool system data team people member profile dashboard
    report record list item time date note message file document request status group event
    service product customer client staff location map calendar schedule plan goal cost photo
    image history setting notification reminder form link page site website business company
    community family friend home work number level type category tag`.split(/\s+/);
  for (const word of generic) assert.deepEqual(ids(conceptsForTerm(word)), [], word);
});

Deno.test("a weak term names its concept only when the directive names the domain again", () => {
  const ids = (words: string) =>
    conceptsForPhrase(["lift"], { context: words.split(" ") }).map((concept) => concept.id);
  assert.deepEqual(ids("let commuters report broken lifts at train stations"), []);
  assert.deepEqual(ids("clients log every lift and workout at the gym"), ["workout"]);
});
