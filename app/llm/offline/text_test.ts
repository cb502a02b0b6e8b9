import assert from "node:assert/strict";
import { article, fill, kebab, pascal, pluralise, singularise, snake } from "./text.ts";

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
    ["hour", "an"],
    ["umbrella", "an"],
  ];
  for (const [word, expected] of cases) assert.equal(article(word), expected, word);
});

Deno.test("fill replaces known placeholders and leaves others", () => {
  assert.equal(
    fill("{Ps} sell {os} {unknown}", { Ps: "Farmers", os: "boxes" }),
    "Farmers sell boxes {unknown}",
  );
});
