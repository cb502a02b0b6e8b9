/** The product stage of the offline engine: spec, personas and features from the analysis. */
import type { ProductSpec } from "../../blueprint/schemas.ts";
import type { Analysis, Role } from "./analyse.ts";
import type { ArchetypeId } from "./archetypes/mod.ts";
import { planBlueprint } from "./plan.ts";
import type { Kind } from "./knowledge/schema.ts";
import { seeded } from "./random.ts";
import { ORGANISATIONS } from "./lexicon.ts";
import { article, fill, titleCase } from "./text.ts";

const WORKING_NAMES: Record<ArchetypeId, string> = {
  "marketplace": "{O} Market",
  "saas-tool": "{O} Workspace",
  "social-community": "{P} Circle",
  "commerce": "{O} Shop",
  "booking-scheduling": "{P} Bookings",
  "content-media": "{O} Studio",
  "fintech": "{O} Manager",
  "health": "{O} Tracker",
  "education": "{P} Companion",
  "logistics-on-demand": "{O} Dispatch",
  "internal-b2b-ops": "{O} Register",
  "developer-api": "{O} API",
};

/** What a product about an object of each kind is called, after the object. */
const KIND_NAMES: Record<Kind, string> = {
  person: "Directory",
  group: "Hub",
  organisation: "Network",
  event: "Planner",
  place: "Finder",
  equipment: "Register",
  document: "Files",
  content: "Studio",
  money: "Ledger",
  measurement: "Log",
  observation: "Watch",
  request: "Desk",
  product: "Market",
  living: "Keeper",
  schedule: "Rota",
  task: "Board",
  message: "Relay",
  skill: "Coach",
  abstract: "Hub",
};

const VARIANT_WORKING_NAMES: Record<string, string> = {
  "education:learner": "{O} Coach",
  "education:teacher": "{O} Hub",
  "health:clinician": "{O} Care Hub",
};

const FIRST_NAMES = [
  "Maya",
  "Tomás",
  "Aisha",
  "Jonas",
  "Priya",
  "Leo",
  "Noor",
  "Sam",
  "Ines",
  "Kofi",
  "Hana",
  "Marek",
  "Lucía",
  "Ravi",
  "Elif",
  "Owen",
  "Zara",
  "Mateo",
  "Yuki",
  "Amara",
];

/** "rehearsal" + "Planner" → "rehearsal Planner"; a name ending in the word keeps it once. */
function workingName(object: string, suffix: string): string {
  const last = object.split(" ").at(-1)?.toLowerCase() ?? "";
  if (last === suffix.toLowerCase()) return object;
  return `${object} ${suffix}`;
}

/** Builds the product spec of a directive. */
export function buildProduct(analysis: Analysis): ProductSpec {
  const { archetype, vars } = analysis;
  const t = (template: string) => fill(template, vars);
  const random = seeded(analysis.seed, "product");
  const [firstName, secondName] = random.shuffle(FIRST_NAMES);
  const roleName = { p: vars.p, s: vars.s, admin: "operations admin" } as const;
  // "Noor, from a small restaurant": a persona is a person, even when the user is a business.
  const personaRole = (role: Role) =>
    ORGANISATIONS.has(role.noun.one.split(" ").at(-1) ?? "")
      ? `from ${article(role.noun.one)} ${role.noun.one}`
      : role.noun.one;

  const plan = planBlueprint(analysis);
  const features = plan.features.map((feature) => ({
    id: feature.key,
    title: t(feature.title),
    description: t(feature.description),
    priority: feature.priority,
    userStories: feature.stories.map((story, index) => ({
      id: `${feature.key}-story-${index + 1}`,
      asA: roleName[story.as],
      iWant: t(story.want),
      soThat: t(story.soThat),
      acceptanceCriteria: story.criteria.map(t),
    })),
  }));

  return {
    workingName: titleCase(
      analysis.objects[0]
        ? workingName(analysis.object.noun.one, KIND_NAMES[analysis.objects[0].kind])
        : t(
          VARIANT_WORKING_NAMES[`${archetype.id}:${analysis.variant}`] ??
            WORKING_NAMES[archetype.id],
        ),
    ),
    oneLiner: t(archetype.oneLiner),
    problem: t(archetype.problem),
    targetUsers: t(archetype.targetUsers),
    personas: [
      {
        name: `${firstName}, ${personaRole(analysis.primary)}`,
        description: t(archetype.personaDescriptions.p),
        goals: archetype.personaGoals.p.map(t),
      },
      {
        name: `${secondName}, ${personaRole(analysis.secondary)}`,
        description: t(archetype.personaDescriptions.s),
        goals: archetype.personaGoals.s.map(t),
      },
    ],
    goals: archetype.goals.map(t),
    features,
    nonGoals: archetype.nonGoals.map(t),
    successMetrics: [...plan.metrics, ...archetype.metrics].slice(0, 6).map(([name, target]) => ({
      name: t(name),
      target: t(target),
    })),
    competitors: archetype.competitors.map(([name, angle, differentiation]) => ({
      name: t(name),
      angle: t(angle),
      differentiation: t(differentiation),
    })),
    risks: [...plan.risks, ...archetype.risks].slice(0, 6).map(([risk, mitigation]) => ({
      risk: t(risk),
      mitigation: t(mitigation),
    })),
    openQuestions: archetype.questions.map(t),
  };
}
