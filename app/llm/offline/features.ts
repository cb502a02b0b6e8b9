/**
 * The feature plan of a directive: the archetype's catalogue (for its variant) plus features
 * for actions the directive names that the catalogue does not cover, each with the screen
 * and entity that serve it. Product, design and architecture all read this one plan.
 */
import type { Analysis, Role } from "./analyse.ts";
import type { EntityTemplate, FeatureTemplate, ScreenTemplate } from "./archetypes/types.ts";
import { slugify } from "../../generation/normalise.ts";
import { article, capitalise, kebab } from "./text.ts";

export interface PlannedFeature extends FeatureTemplate {
  /** Set for features derived from the directive's own verbs. */
  derivedFrom?: { verb: string; object: Role };
}

/** Whether a template applies to the analysed variant. */
export function inVariant(
  item: { only?: string | readonly string[] },
  analysis: Analysis,
): boolean {
  if (item.only === undefined) return true;
  return typeof item.only === "string"
    ? item.only === analysis.variant
    : item.only.includes(analysis.variant);
}

function derivedFeature(
  verb: string,
  object: Role,
  options: { priority: "P0" | "P1"; screen: string; entity: string },
): PlannedFeature {
  const one = object.noun.one;
  const many = object.noun.many;
  const an = `${article(one)} ${one}`;
  return {
    key: slugify(`${verb} ${many}`, "feature"),
    title: `${capitalise(verb)} ${many}`,
    description:
      `{Ps} ${verb} ${many} in one place, with status, dates and history, instead of scattered notes and messages.`,
    priority: options.priority,
    stories: [{
      as: "p",
      want: `to ${verb} ${many} from my phone in a few taps`,
      soThat: `nothing about ${many} gets lost between {ss} and me`,
      criteria: [
        `${capitalise(an)} can be recorded in under 30 seconds with only the essentials`,
        `Every change to ${an} records who made it and when`,
        `${capitalise(many)} can be filtered by status and date`,
      ],
    }],
    screen: options.screen,
    entity: options.entity,
    derivedFrom: { verb, object },
  };
}

/** The archetype features for this directive, with directive-derived ones first. */
export function planFeatures(analysis: Analysis): PlannedFeature[] {
  const { archetype } = analysis;
  const catalogue: PlannedFeature[] = archetype.features.filter((f) => inVariant(f, analysis));
  const objectScreen = catalogue.find((f) => f.entity === "$O")?.screen ?? catalogue[0].screen;
  const derived: PlannedFeature[] = [];
  // A verb the archetype already scores on ("rent" for a marketplace) is covered by its catalogue.
  if (
    !Object.hasOwn(archetype.keywords, analysis.action) &&
    analysis.action !== archetype.roles.action
  ) {
    derived.push(
      derivedFeature(analysis.action, analysis.object, {
        priority: "P0",
        screen: objectScreen,
        entity: "$O",
      }),
    );
  }
  for (const extra of analysis.extraActions) {
    derived.push(
      derivedFeature(extra.verb, extra.object, {
        priority: "P1",
        screen: derivedScreenKey(extra.object),
        entity: extra.object.entity,
      }),
    );
  }
  const keys = new Set(catalogue.map((feature) => feature.key));
  const order = { P0: 0, P1: 1, P2: 2 };
  // Stable: the directive's own features lead within their priority.
  return [...derived.filter((feature) => !keys.has(feature.key)), ...catalogue]
    .sort((a, b) => order[a.priority] - order[b.priority]);
}

/** Screen key of a directive-derived object's own screen. */
function derivedScreenKey(object: Role): string {
  return `manage-${kebab(object.noun.many)}`;
}

/** Screens for objects the directive adds beyond the archetype's own. */
export function derivedScreens(plan: readonly PlannedFeature[]): ScreenTemplate[] {
  return plan.flatMap((feature) => {
    if (!feature.derivedFrom || feature.entity === "$O") return [];
    const { object } = feature.derivedFrom;
    const Many = capitalise(object.noun.many);
    return [{
      key: derivedScreenKey(object),
      name: Many,
      route: `/${kebab(object.noun.many)}`,
      purpose: `Record and follow up ${object.noun.many}.`,
      sections: [`${Many} list`, "Filters", `${capitalise(object.noun.one)} detail`],
      primaryAction: `New ${object.noun.one}`,
      nav: Many,
    }];
  });
}

/** Entities for objects the directive adds beyond the archetype's own. */
export function derivedEntities(plan: readonly PlannedFeature[]): EntityTemplate[] {
  return plan.flatMap((feature) => {
    if (!feature.derivedFrom || feature.entity === "$O") return [];
    const { object } = feature.derivedFrom;
    return [{
      name: object.entity,
      description: `${capitalise(article(object.noun.one))} ${object.noun.one} the team records.`,
      fields: [
        "ownerId:uuid!>User",
        "title:text!",
        "status:text!",
        "notes:text",
        "dueOn:date",
        "createdAt:timestamp!",
      ],
      api: "crud",
    }];
  });
}
