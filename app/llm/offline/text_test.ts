import assert from "node:assert/strict";
import { article, fill, kebab, pascal, pluralise, singularise, snake, tidy } from "./text.ts";

Deno.test("pluralise and singularise round-trip common and irregular nouns", () => {
  const cases: [one: string, many: string][] = [
    ["vegetable box", "vegetable boxes"],
    ["dog groomer", "dog groomers"],
    ["study", "studies"],
    ["day", "days"],
    ["child", "children"],
    ["homework", "homework"],
    ["match", "matches"],
    ["quiz", "quizzes"],
    ["analysis", "analyses"],
  ];
  for (const [one, many] of cases) {
    assert.equal(pluralise(one), many);
    assert.equal(singularise(many), one);
  }
});

Deno.test("identifier forms", () => {
  assert.equal(pascal("vegetable box"), "VegetableBox");
  assert.equal(kebab("VegetableBox"), "vegetable-box");
  assert.equal(kebab("vegetable box"), "vegetable-box");
  assert.equal(snake("OrderItem"), "order_item");
});

Deno.test("article chooses a or an by sound", () => {
  const cases: [string, string][] = [
    ["invoice", "an"],
    ["vegetable box", "a"],
    ["user", "a"],
    ["unique gift", "a"],
    ["one-off fee", "a"],
    ["European client", "a"],
    ["hour", "an"],
    ["honest review", "an"],
    ["umbrella", "an"],
    ["independent dog groomer", "an"],
    ["HR team", "an"],
    ["SMS reminder", "an"],
    ["URL", "a"],
    ["CRM", "a"],
  ];
  for (const [word, expected] of cases) assert.equal(article(word), expected, word);
});

Deno.test("tidy fixes articles and repeated words that filled templates produce", () => {
  const cases: [string, string][] = [
    [
      "Independent independent dog groomers and small teams",
      "Independent dog groomers and small teams",
    ],
    [
      "A booking page a independent dog groomer can set up",
      "A booking page an independent dog groomer can set up",
    ],
    ["An booking page for an user", "A booking page for a user"],
    ["Onboarding for a HR team", "Onboarding for an HR team"],
    ["Plan A is the fallback", "Plan A is the fallback"],
    ["Two  spaces", "Two spaces"],
  ];
  for (const [input, expected] of cases) assert.equal(tidy(input), expected);
});

Deno.test("fill replaces known placeholders and leaves others", () => {
  assert.equal(
    fill("{Ps} sell {os} {unknown}", { Ps: "Farmers", os: "boxes" }),
    "Farmers sell boxes {unknown}",
  );
});
