import assert from "node:assert/strict";
import { isEnglishWord, isVerb, nounKind, wordKind } from "./wordnet.ts";

Deno.test("WordNet hypernyms type the directive's nouns into kinds", () => {
  const table: [string, string][] = [
    ["rehearsal", "event"],
    ["concert", "event"],
    ["incident", "event"],
    ["lesson", "event"],
    ["tractor", "equipment"],
    ["forklift", "equipment"],
    // Boats and planes are craft (vehicles), not the skill "craft" shares their name with.
    ["boat", "equipment"],
    ["aircraft", "equipment"],
    ["bookbinding", "skill"],
    ["royalty", "money"],
    ["grant", "money"],
    ["ripeness", "measurement"],
    ["temperature", "measurement"],
    ["sighting", "observation"],
    ["inspection", "observation"],
    ["choir", "group"],
    ["team", "group"],
    ["hiker", "person"],
    ["landlord", "person"],
    ["hive", "living"],
    ["tomato", "living"],
    ["barbershop", "organisation"],
    ["campsite", "place"],
    ["bed", "place"],
    ["recipe", "content"],
    ["ingredient", "product"],
    ["deadline", "schedule"],
    ["rotation", "schedule"],
    ["booking", "request"],
    ["page", "message"],
    ["timeline", "document"],
  ];
  const wrong = table.filter(([word, kind]) => nounKind(word) !== kind)
    .map(([word, kind]) => `${word}: ${nounKind(word)} (expected ${kind})`);
  assert.deepEqual(wrong, []);
});

Deno.test("plurals, two-word nouns and gerunds find their lemma's kind", () => {
  assert.equal(nounKind("rehearsals"), "event");
  assert.equal(nounKind("ice rink"), "place");
  assert.equal(wordKind("sightings"), "observation");
  assert.equal(wordKind("inspections"), "observation");
  assert.equal(nounKind("qwertyuiop"), undefined);
});

Deno.test("verbs and English words are told from everything else", () => {
  for (const verb of ["plan", "report", "page", "escalate", "acknowledge", "rent"]) {
    assert.ok(isVerb(verb), verb);
  }
  for (const word of ["rehearsals", "paging", "booked", "the", "shared", "quickly"]) {
    assert.ok(isEnglishWord(word), word);
  }
  for (const word of ["organicen", "salidas", "asdf", "zxcv", "verwalten"]) {
    assert.ok(!isEnglishWord(word), word);
  }
});

Deno.test("artifacts WordNet files under 'whole, unit' are equipment, not groups", () => {
  for (const word of ["shoe", "running shoe", "kettle"]) {
    assert.notEqual(nounKind(word), "group", word);
  }
});

Deno.test("kinds.json senses give product directives' meaning where WordNet's first is another", () => {
  const table: [string, string][] = [["member", "person"], ["menu", "document"], [
    "chat",
    "message",
  ]];
  for (const [word, kind] of table) assert.equal(nounKind(word), kind, word);
});
