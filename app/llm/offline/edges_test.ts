import assert from "node:assert/strict";
import edges from "../../../tests/fixtures/corpus_edges.json" with { type: "json" };
import corpus from "../../../tests/fixtures/corpus_v2.json" with { type: "json" };
import directives from "../../../tests/fixtures/directives.json" with { type: "json" };
import { directiveProblem, NO_PRODUCT_MESSAGE, NON_ENGLISH_MESSAGE } from "./edges.ts";

Deno.test("directives in other languages and without a product are recognised as such", () => {
  const wrong = edges.edges.filter((edge) =>
    directiveProblem(edge.directive)?.kind !== edge.expected
  )
    .map((edge) =>
      `${edge.expected}: ${edge.directive} → ${directiveProblem(edge.directive)?.kind}`
    );
  assert.deepEqual(wrong, []);
  assert.equal(directiveProblem("Una app para clubes de ciclismo")?.message, NON_ENGLISH_MESSAGE);
  assert.equal(directiveProblem("asdf qwerty zxcv")?.message, NO_PRODUCT_MESSAGE);
});

Deno.test("every English product directive of the corpora is accepted, hostile ones included", () => {
  const all = [...corpus.directives, ...directives.directives].map((entry) => entry.directive);
  const refused = all.filter((directive) => directiveProblem(directive) !== null);
  assert.deepEqual(refused, []);
  for (const directive of ["a todo app", "a CRM for wedding photographers", "choir rota"]) {
    assert.equal(directiveProblem(directive), null, directive);
  }
});

Deno.test("wishes without a product are refused; the same words around a product are not", () => {
  for (const wish of ["make me rich", "the best app ever", "I need help", "build me a website"]) {
    assert.equal(directiveProblem(wish)?.kind, "no-product", wish);
  }
  for (
    const product of ["an app that helps me build better habits", "make a booking app for barbers"]
  ) {
    assert.equal(directiveProblem(product), null, product);
  }
});
