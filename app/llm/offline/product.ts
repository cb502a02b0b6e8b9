/** The product stage of the offline engine: spec, personas and features from the analysis. */
import type { ProductSpec } from "../../generation/schemas.ts";
import type { Analysis } from "./analyse.ts";
import type { ArchetypeId } from "./archetypes/mod.ts";
import { planFeatures } from "./features.ts";
import { seeded } from "./random.ts";
import { fill, titleCase } from "./text.ts";

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

/** Builds the product spec of a directive. */
export function buildProduct(analysis: Analysis): ProductSpec {
  const { archetype, vars } = analysis;
  const t = (template: string) => fill(template, vars);
  const random = seeded(analysis.seed, "product");
  const [firstName, secondName] = random.shuffle(FIRST_NAMES);
  const roleName = { p: vars.p, s: vars.s, admin: "operations admin" } as const;

  const features = planFeatures(analysis).map((feature) => ({
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
      t(
        VARIANT_WORKING_NAMES[`${archetype.id}:${analysis.variant}`] ?? WORKING_NAMES[archetype.id],
      ),
    ),
    oneLiner: t(archetype.oneLiner),
    problem: t(archetype.problem),
    targetUsers: t(archetype.targetUsers),
    personas: [
      {
        name: `${firstName}, ${vars.p}`,
        description: t(archetype.personaDescriptions.p),
        goals: archetype.personaGoals.p.map(t),
      },
      {
        name: `${secondName}, ${vars.s}`,
        description: t(archetype.personaDescriptions.s),
        goals: archetype.personaGoals.s.map(t),
      },
    ],
    goals: archetype.goals.map(t),
    features,
    nonGoals: archetype.nonGoals.map(t),
    successMetrics: archetype.metrics.map(([name, target]) => ({
      name: t(name),
      target: t(target),
    })),
    competitors: archetype.competitors.map(([name, angle, differentiation]) => ({
      name: t(name),
      angle: t(angle),
      differentiation: t(differentiation),
    })),
    risks: archetype.risks.map(([risk, mitigation]) => ({
      risk: t(risk),
      mitigation: t(mitigation),
    })),
    openQuestions: archetype.questions.map(t),
  };
}
