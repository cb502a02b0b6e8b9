import assert from "node:assert/strict";
import corpusJson from "../fixtures/corpus_v2.json" with { type: "json" };
import edgesJson from "../fixtures/corpus_edges.json" with { type: "json" };
import v1 from "../fixtures/directives.json" with { type: "json" };
import {
  assignSplits,
  type Blueprint,
  corpusSchema,
  crossDomainCoverage,
  distinctness,
  edgeCorpusSchema,
  type GenericEntity,
  HOLDOUT_SHARE,
  isMotivated,
  lintName,
  lintTitle,
  scoreEntry,
  spaceWords,
  startsWithVowelSound,
  summarise,
} from "./corpus_score.ts";

const corpus = corpusSchema.parse(corpusJson);

Deno.test("the v2 corpus: 160+ directives in 35+ domains, 5 must-haves and 2-3 entities each", () => {
  assert.ok(corpus.directives.length >= 160, `${corpus.directives.length} directives`);
  const domains = new Set(corpus.directives.map((e) => e.domain));
  assert.ok(domains.size >= 35, `${domains.size} domains`);
  for (const domain of domains) {
    const count = corpus.directives.filter((e) => e.domain === domain).length;
    assert.ok(count >= 3, `${domain} has ${count} directives`);
  }
});

Deno.test("every key entity's own name matches its pattern", () => {
  for (const entry of corpus.directives) {
    for (const key of entry.entities) {
      const regex = new RegExp(key.pattern, "i");
      assert.ok(
        [key.label, spaceWords(key.label)].some((name) => regex.test(name)),
        `${entry.directive}: ${key.label}`,
      );
    }
  }
});

Deno.test("no v2 directive is copied from the v1 corpus", () => {
  const words = (text: string) => text.toLowerCase().match(/[a-z]+/g)?.join(" ") ?? "";
  const old = new Set(v1.directives.map((d) => words(d.directive)));
  const copied = corpus.directives.filter((e) => old.has(words(e.directive)));
  assert.deepEqual(copied.map((e) => e.directive), []);
});

Deno.test("the issue's own examples are in the corpus", () => {
  const examples = [
    /on-call.*incident paging.*SRE/i,
    /citizen science.*invasive plant sightings/i,
    /calendar.*choir.*rehearsals and concerts/i,
    /hospitals share spare ICU beds/i,
    /beekeeping log/i,
    /grant deadline tracker/i,
    /rent out unused tractors/i,
    /barbershops/i,
    /long-distance hikers/i,
    /live captioning/i,
    /offline on the trail/i,
    /in real time/i,
    /fair-housing compliant/i,
    /by the day/i,
  ];
  for (const example of examples) {
    assert.ok(corpus.directives.some((e) => example.test(e.directive)), String(example));
  }
});

Deno.test("the holdout is exactly 30 %, in every domain, and follows the split rule", () => {
  const holdout = corpus.directives.filter((e) => e.split === "holdout");
  assert.equal(holdout.length, corpus.directives.length * HOLDOUT_SHARE);
  for (const domain of new Set(corpus.directives.map((e) => e.domain))) {
    assert.ok(holdout.some((e) => e.domain === domain), `${domain} has a held-out directive`);
  }
  assert.deepEqual(corpus.directives.map((e) => e.split), assignSplits(corpus.directives));
});

Deno.test("the split rule does not depend on the order of the directives", () => {
  const entries = corpus.directives.map(({ directive, domain }) => ({ directive, domain }));
  const reversed = [...entries].reverse();
  const forward = new Map(entries.map((e, i) => [e.directive, assignSplits(entries)[i]]));
  const splits = assignSplits(reversed);
  reversed.forEach((e, i) => assert.equal(splits[i], forward.get(e.directive), e.directive));
});

Deno.test("the edge fixture has non-English directives in 7+ languages and no-product inputs", () => {
  const edges = edgeCorpusSchema.parse(edgesJson).edges;
  const languages = new Set(
    edges.filter((e) => e.expected === "non-english").map((e) => e.language),
  );
  for (const language of ["es", "fr", "de", "pt", "zh", "ja", "ru"]) {
    assert.ok(languages.has(language), language);
  }
  const noProduct = edges.filter((e) => e.expected === "no-product").map((e) => e.directive);
  for (const input of ["asdf qwerty zxcv", "hello", "the the the", "🚀🔥💯🎉"]) {
    assert.ok(noProduct.includes(input), input);
  }
});

const GRAMMAR_CASES: [string, string | null][] = [
  ["Out unused tractors", "leading-particle"],
  ["Walk barbershops", "intransitive-object"],
  ["Work long distance hikers", "intransitive-object"],
  ["Request live captionings", "mass-plural"],
  ["Come donated goods intakes", "intransitive-object"],
  ["Share shared shared calendars", "doubled-word"],
  ["Log the the hive inspections", "doubled-word"],
  ["Book a ICU bed", "article"],
  ["Open an tractor listing", "article"],
  ["Send an unique link", "article"],
  ["Get a SMS reminder", "article"],
  ["Manage familys and childs", "plural-y"],
  ["Pack boxs for delivery", "plural-es"],
  ["Shareing rehearsal notes", "ing-form"],
  ["Log specy sightings", "invariant-noun"],
  ["Book aircrafts by the hour", "invariant-noun"],
  ["Walk dogs on a schedule", null],
  ["Work orders and dispatch", null],
  ["Sleep log and naps", null],
  ["Wait list for full days", null],
  ["Book an ICU bed", null],
  ["A QR check-in at the door", null],
  ["An hour-by-hour rota", null],
  ["A user directory", null],
  ["An SMS reminder a day before", null],
  ["A one-tap check-in", null],
  ["Bookings and payments", null],
  ["Hive inspections and queen sightings", null],
  ["Categories and boxes", null],
  ["Seeing the day at a glance", null],
  ["Show an ageing report", null],
  ["Incident timeline and postmortems", null],
  ["Rent out unused tractors by the day", null],
];

Deno.test("grammar lint flags broken titles and passes sound ones", () => {
  for (const [title, rule] of GRAMMAR_CASES) {
    const rules = lintTitle(title).map((hit) => hit.rule);
    if (rule === null) assert.deepEqual(rules, [], title);
    else assert.ok(rules.includes(rule), `${title}: expected ${rule}, got ${rules.join(",")}`);
  }
});

Deno.test("entity names are checked for word-form slips only", () => {
  assert.deepEqual(lintName("Specy").map((hit) => hit.rule), ["invariant-noun"]);
  assert.deepEqual(lintName("CategorysList").map((hit) => hit.rule), ["plural-y"]);
  for (const name of ["Species", "SpeciesSighting", "Aircraft", "WorkOrder", "OutageNotice"]) {
    assert.deepEqual(lintName(name), [], name);
  }
});

Deno.test("vowel sounds decide between a and an", () => {
  const cases: [string, boolean][] = [
    ["apple", true],
    ["hour", true],
    ["honest", true],
    ["ICU", true],
    ["SMS", true],
    ["FAQ", true],
    ["8-week", true],
    ["11-person", true],
    ["user", false],
    ["unique", false],
    ["one-off", false],
    ["European", false],
    ["QR", false],
    ["USB", false],
    ["tractor", false],
    ["12-week", false],
  ];
  for (const [word, vowel] of cases) assert.equal(startsWithVowelSound(word), vowel, word);
});

Deno.test("entity names are split into words for word-bounded patterns", () => {
  assert.equal(spaceWords("EscalationPolicy"), "Escalation Policy");
  assert.equal(spaceWords("ICUBed"), "ICU Bed");
  assert.equal(spaceWords("Incident"), "Incident");
});

const generics: GenericEntity[] = corpus.genericEntities;
const generic = (name: string) => generics.find((g) => g.name === name)!;

Deno.test("a generic entity counts as motivated only when the directive asks for it", () => {
  const cases: [string, string, boolean][] = [
    ["Share", "A shared calendar for a community choir", true],
    ["Share", "An on-call scheduling tool for SRE teams", false],
    ["Notification", "get pinged when my cycle ends", true],
    ["Notification", "a beekeeping log for hobbyists", false],
    ["Payout", "commission and tip payouts for barbers", true],
    ["Payout", "a grant deadline tracker", false],
    ["Rsvp", "rsvp site for our wedding", true],
    ["Rsvp", "a shared calendar for a choir", false],
    ["Rsvp", "a choir calendar to plan rehearsals and concerts", true],
    ["Task", "follow-up tasks for inspectors", true],
    ["Workspace", "a citizen science app for hikers", false],
    ["WaitlistEntry", "a nursery school waiting list", true],
  ];
  for (const [name, directive, motivated] of cases) {
    assert.equal(isMotivated(generic(name), directive), motivated, `${name} / ${directive}`);
  }
});

function blueprint(
  features: [string, string, "P0" | "P1" | "P2"][],
  screens: [string, string][],
  entities: string[],
): Blueprint {
  return {
    product: {
      features: features.map(([title, description, priority]) => ({
        title,
        description,
        priority,
      })),
    },
    design: { screens: screens.map(([name, purpose]) => ({ name, purpose })) },
    architecture: { dataModel: { entities: entities.map((name) => ({ name })) } },
  } as unknown as Blueprint;
}

const onCall = corpus.directives.find((e) => /incident paging/.test(e.directive))!;

Deno.test("scoring: a grounded on-call blueprint covers its keys, a booking template does not", () => {
  const grounded = blueprint(
    [
      ["On-call rotations", "Weekly rotations with handoffs.", "P0"],
      ["Page the on-call engineer", "SMS and push pages for alerts.", "P0"],
      ["Escalation policies", "Escalate after 5 minutes.", "P0"],
      ["Acknowledge and resolve", "One tap to ack.", "P1"],
      ["Postmortems", "Timeline and action items.", "P2"],
    ],
    [["Incident timeline", "Every event of an incident in order."]],
    ["User", "Incident", "Rotation", "EscalationPolicy"],
  );
  const good = scoreEntry(onCall, grounded, generics);
  assert.equal(good.coverage, 1);
  assert.equal(good.grounding, 1);
  assert.deepEqual(good.genericEntities, []);
  assert.deepEqual(good.grammar, []);

  const template = blueprint(
    [
      ["Call menu and prices", "Teams list each call with duration and price.", "P0"],
      ["Online booking page", "Clients book a slot.", "P0"],
      ["Escalation policies", "Only in P2, so not counted.", "P2"],
    ],
    [["Book a call", "Pick a slot."]],
    ["User", "Client", "Appointment", "Payment", "WaitlistEntry", "ProjectTemplate"],
  );
  const bad = scoreEntry(onCall, template, generics);
  assert.equal(bad.coverage, 0);
  assert.equal(bad.grounding, 0);
  assert.deepEqual(bad.genericEntities, ["Appointment", "WaitlistEntry", "ProjectTemplate"]);
  assert.equal(bad.missedMustHaves.length, 5);

  const summary = summarise([good, bad]);
  assert.equal(summary.coverage, 0.5);
  assert.equal(summary.grounding, 0.5);
  assert.equal(summary.genericEntities, 3);
  assert.equal(summary.directivesWithGenerics, 1);
});

Deno.test("distinctness: shared titles over the smaller set, across domains only", () => {
  const result = distinctness([
    { directive: "a", domain: "x", featureTitles: ["Hive inspections", "Queen log", "Harvests"] },
    { directive: "b", domain: "x", featureTitles: ["Hive inspections", "Queen log", "Harvests"] },
    { directive: "c", domain: "y", featureTitles: ["Hive  inspections!", "Tractor listings"] },
    { directive: "d", domain: "z", featureTitles: ["Rotations", "Pages", "Escalations", "Acks"] },
  ]);
  assert.equal(result.max, 0.5);
  assert.equal(result.offenders.length, 2);
  assert.deepEqual(result.offenders[0].shared, ["hive inspections"]);
  assert.ok(Math.abs(result.mean - 1 / 5) < 1e-9, String(result.mean));
});

Deno.test("cross-domain coverage rises when blueprints carry the same vocabulary everywhere", () => {
  const choir = corpus.directives.find((e) => /community choir/.test(e.directive))!;
  const grounded = [
    blueprint([["On-call rotations", "Escalation and acknowledgement.", "P0"]], [], ["Incident"]),
    blueprint([["Rehearsal schedule", "Concert planning for singers.", "P0"]], [], ["Rehearsal"]),
  ];
  assert.equal(crossDomainCoverage([onCall, choir], grounded), 0);
  const stuffed = blueprint(
    [["Rehearsals, concerts, rotations", "Escalation, acknowledgement and reminders.", "P0"]],
    [],
    ["Incident"],
  );
  assert.ok(crossDomainCoverage([onCall, choir], [stuffed, stuffed]) >= 0.4);
});
