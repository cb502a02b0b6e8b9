import assert from "node:assert/strict";
import { analyse, entityVars } from "./analyse.ts";

Deno.test("analyse classifies directives into archetypes and variants", () => {
  const cases: [directive: string, archetype: string, variant: string][] = [
    ["a marketplace where local farmers sell vegetable boxes", "marketplace", ""],
    ["a booking app for dog groomers", "booking-scheduling", ""],
    ["an invoicing tool for freelancers", "fintech", "billing"],
    ["a budgeting app for couples who want to split bills", "fintech", "personal"],
    ["a study app for nursing students", "education", "learner"],
    ["help tutors track homework for kids", "education", "teacher"],
    ["an app for patients to log symptoms", "health", "patient"],
    ["a podcast hosting platform for indie musicians", "content-media", ""],
    ["a recipe sharing community for home cooks", "social-community", ""],
    ["courier dispatch for bike messengers", "logistics-on-demand", ""],
    ["help small restaurants manage inventory", "internal-b2b-ops", ""],
    ["a REST API that lets developers verify phone numbers", "developer-api", ""],
    ["a CRM for wedding photographers", "saas-tool", ""],
    ["an online store selling handmade ceramic mugs", "commerce", ""],
    ["something nobody has words for", "saas-tool", ""],
  ];
  for (const [directive, archetype, variant] of cases) {
    const analysis = analyse(directive);
    assert.equal(analysis.archetype.id, archetype, directive);
    assert.equal(analysis.variant, variant, directive);
  }
});

Deno.test("roles come from the directive's own words, with sensible counterparts", () => {
  const cases: [directive: string, primary: string, secondary: string, object: string][] = [
    [
      "a marketplace where local farmers sell vegetable boxes",
      "local farmers",
      "customers",
      "vegetable boxes",
    ],
    ["a booking app for dog groomers", "dog groomers", "dog owners", "services"],
    ["help tutors track homework for kids", "tutors", "kids", "homework"],
    [
      "same-day furniture delivery for small retailers",
      "couriers",
      "small retailers",
      "furniture deliveries",
    ],
    [
      "An online store selling handmade ceramic mugs",
      "shoppers",
      "shop owners",
      "handmade ceramic mugs",
    ],
  ];
  for (const [directive, primary, secondary, object] of cases) {
    const analysis = analyse(directive);
    assert.equal(analysis.primary.noun.many, primary, directive);
    assert.equal(analysis.secondary.noun.many, secondary, directive);
    assert.equal(analysis.object.noun.many, object, directive);
  }
});

Deno.test("a booking app books what the directive names, and a service only when it names nothing", () => {
  const cases: [directive: string, object: string][] = [
    ["table reservations for small restaurants", "table"],
    ["a booking app for coworking spaces to rent desks", "desk"],
    ["an app for booking meeting rooms in shared offices", "meeting room"],
    ["a reservation system for tennis clubs to book courts", "court"],
    ["let yoga studios schedule classes and take reservations", "class"],
    ["a booking app for dog groomers", "service"],
  ];
  for (const [directive, object] of cases) {
    const analysis = analyse(directive);
    assert.equal(analysis.archetype.id, "booking-scheduling", directive);
    assert.equal(analysis.object.noun.one, object, directive);
  }
});

Deno.test("people who swap are each other's counterparts", () => {
  const analysis = analyse("an app where parents swap children's clothes");
  assert.equal(analysis.secondary.noun.many, "fellow parents");
  assert.equal(analysis.vars.vs, "swaps");
});

Deno.test("entity tokens are PascalCase and field tokens camelCase", () => {
  const tokens = entityVars(analyse("a marketplace where local farmers sell vegetable boxes"));
  assert.equal(tokens.$P, "Farmer");
  assert.equal(tokens.$O, "VegetableBox");
  assert.equal(tokens.$o, "vegetableBox");
});

Deno.test("the same directive always analyses the same; the seed follows the text", () => {
  const a = analyse("a booking app for dog groomers");
  assert.deepEqual(analyse("a booking app for dog groomers"), a);
  assert.notEqual(analyse("a booking app for cat groomers").seed, a.seed);
});
