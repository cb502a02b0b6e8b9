/** Visual and verbal moods: one per archetype family, driving colour, type, shape and voice. */
import type { MoodId } from "./archetypes/types.ts";
import type { LOGO_SHAPES } from "../../blueprint/schemas.ts";
import type { FontKey } from "./typography.ts";

export interface Mood {
  /** Primary hue range in OKLCH degrees. */
  hue: [number, number];
  /** Primary chroma; the palette clamps to sRGB. */
  chroma: number;
  /** Hue offsets of secondary and accent from primary. */
  secondaryShift: number;
  accentShift: number;
  neutralChroma: number;
  headings: FontKey[];
  bodies: FontKey[];
  monos: FontKey[];
  /** Modular type scale ratio. */
  typeRatio: number;
  /** Corner radii sm, md, lg in px. */
  radius: [number, number, number];
  motionMs: number;
  traits: string[];
  do: string[];
  dont: string[];
  logoShapes: (typeof LOGO_SHAPES)[number][];
  principles: [title: string, description: string][];
}

const SANS_BODIES: FontKey[] = ["inter", "dm-sans", "work-sans", "ibm-plex-sans", "manrope"];

export const MOODS: Record<MoodId, Mood> = {
  earthy: {
    hue: [115, 155],
    chroma: 0.13,
    secondaryShift: -70,
    accentShift: -90,
    neutralChroma: 0.012,
    headings: ["fraunces", "lora", "dm-serif-display"],
    bodies: ["work-sans", "dm-sans", "source-sans-3"],
    monos: ["ibm-plex-mono", "dm-mono"],
    typeRatio: 1.25,
    radius: [6, 12, 20],
    motionMs: 220,
    traits: ["Warm", "Honest", "Down-to-earth", "Neighbourly"],
    do: [
      "Name the people behind things",
      "Use concrete, seasonal words",
      "Keep sentences short and friendly",
    ],
    dont: [
      "Use corporate jargon",
      "Promise what a small producer cannot deliver",
      "Shout with exclamation marks",
    ],
    logoShapes: ["circle", "rounded-square"],
    principles: [["Warm, not rustic", "Natural colour and type, crisp interaction."], [
      "Trust through detail",
      "Show origin, timing and price plainly.",
    ]],
  },
  precise: {
    hue: [245, 275],
    chroma: 0.15,
    secondaryShift: 40,
    accentShift: 150,
    neutralChroma: 0.01,
    headings: ["inter", "manrope", "space-grotesk"],
    bodies: ["inter", "ibm-plex-sans", "manrope"],
    monos: ["jetbrains-mono", "ibm-plex-mono"],
    typeRatio: 1.2,
    radius: [4, 8, 12],
    motionMs: 160,
    traits: ["Clear", "Confident", "Efficient", "Helpful"],
    do: ["Lead with the outcome", "Use verbs on buttons", "Explain empty states with a next step"],
    dont: [
      "Use clever wordplay in UI labels",
      "Hide important settings",
      "Blame the user in errors",
    ],
    logoShapes: ["rounded-square", "square", "hexagon"],
    principles: [["Density with air", "Show a lot, calmly: alignment and rhythm over boxes."], [
      "Fast feels calm",
      "Instant feedback on every action.",
    ]],
  },
  playful: {
    hue: [330, 370],
    chroma: 0.17,
    secondaryShift: -60,
    accentShift: 110,
    neutralChroma: 0.014,
    headings: ["outfit", "plus-jakarta-sans", "fraunces"],
    bodies: ["dm-sans", "plus-jakarta-sans", "figtree"],
    monos: ["dm-mono", "jetbrains-mono"],
    typeRatio: 1.25,
    radius: [8, 14, 24],
    motionMs: 240,
    traits: ["Welcoming", "Playful", "Kind", "Curious"],
    do: ["Celebrate contributions", "Write like a friendly host", "Use inclusive, plain words"],
    dont: ["Mock or shame", "Use in-jokes newcomers will not get", "Pressure people to post"],
    logoShapes: ["circle", "rounded-square"],
    principles: [["Joy in the details", "Small moments of delight, never in the way."], [
      "Welcome first",
      "Newcomers see guidance before anything else.",
    ]],
  },
  vibrant: {
    hue: [20, 50],
    chroma: 0.16,
    secondaryShift: 200,
    accentShift: 60,
    neutralChroma: 0.01,
    headings: ["playfair-display", "dm-serif-display", "space-grotesk"],
    bodies: ["dm-sans", "manrope", "figtree"],
    monos: ["dm-mono", "space-mono"],
    typeRatio: 1.333,
    radius: [2, 6, 12],
    motionMs: 200,
    traits: ["Confident", "Sensory", "Warm", "Crafted"],
    do: [
      "Describe texture, material and use",
      "Keep product copy concrete",
      "Make prices and shipping clear",
    ],
    dont: ["Use fake urgency", "Hide costs until checkout", "Overuse superlatives"],
    logoShapes: ["wordmark", "circle"],
    principles: [["Product is the hero", "Large imagery, quiet interface."], [
      "Honest commerce",
      "Real stock, real prices, no dark patterns.",
    ]],
  },
  friendly: {
    hue: [280, 310],
    chroma: 0.15,
    secondaryShift: 60,
    accentShift: 150,
    neutralChroma: 0.012,
    headings: ["plus-jakarta-sans", "outfit", "manrope"],
    bodies: ["figtree", "dm-sans", "inter"],
    monos: ["jetbrains-mono", "dm-mono"],
    typeRatio: 1.2,
    radius: [8, 12, 18],
    motionMs: 200,
    traits: ["Reassuring", "Efficient", "Friendly", "Reliable"],
    do: [
      "Confirm every booking in plain words",
      "Give times in the reader's timezone",
      "Offer the next step",
    ],
    dont: ["Use vague times", "Penalise without warning", "Bury cancellation policies"],
    logoShapes: ["rounded-square", "circle"],
    principles: [["Time is the interface", "Calendars and slots are the centre of every screen."], [
      "Confirm, then remind",
      "People should never wonder whether they are booked.",
    ]],
  },
  editorial: {
    hue: [345, 380],
    chroma: 0.14,
    secondaryShift: 180,
    accentShift: 40,
    neutralChroma: 0.008,
    headings: ["newsreader", "fraunces", "playfair-display", "source-serif-4"],
    bodies: ["source-serif-4", "inter", "newsreader"],
    monos: ["ibm-plex-mono", "jetbrains-mono"],
    typeRatio: 1.333,
    radius: [2, 4, 8],
    motionMs: 180,
    traits: ["Thoughtful", "Expressive", "Independent", "Respectful"],
    do: ["Let creators' voices lead", "Credit everyone", "Write short, vivid headlines"],
    dont: ["Clickbait", "Talk over the work", "Use engagement-bait notifications"],
    logoShapes: ["wordmark", "square"],
    principles: [["Typography carries the brand", "Generous measure, real hierarchy."], [
      "Quiet chrome",
      "Interface recedes when content plays.",
    ]],
  },
  trust: {
    hue: [160, 200],
    chroma: 0.11,
    secondaryShift: 70,
    accentShift: -120,
    neutralChroma: 0.01,
    headings: ["manrope", "ibm-plex-sans", "space-grotesk"],
    bodies: ["inter", "ibm-plex-sans", "public-sans"],
    monos: ["ibm-plex-mono", "jetbrains-mono"],
    typeRatio: 1.2,
    radius: [4, 8, 12],
    motionMs: 160,
    traits: ["Trustworthy", "Clear", "Calm", "Precise"],
    do: [
      "Show exact amounts and dates",
      "Explain fees before they apply",
      "Confirm every money movement",
    ],
    dont: [
      "Round numbers silently",
      "Use fear to drive action",
      "Use vague words like 'soon' for money",
    ],
    logoShapes: ["shield", "square", "hexagon"],
    principles: [["Numbers first", "Tabular figures, aligned decimals, no decoration."], [
      "Reversible when possible",
      "Confirm and undo before money moves.",
    ]],
  },
  calm: {
    hue: [185, 215],
    chroma: 0.1,
    secondaryShift: 80,
    accentShift: -150,
    neutralChroma: 0.008,
    headings: ["atkinson-hyperlegible", "lexend", "source-serif-4"],
    bodies: ["atkinson-hyperlegible", "lexend", "public-sans"],
    monos: ["ibm-plex-mono", "source-code-pro"],
    typeRatio: 1.2,
    radius: [8, 14, 20],
    motionMs: 260,
    traits: ["Calm", "Caring", "Clear", "Respectful"],
    do: [
      "Use plain language at a 12-year-old reading level",
      "Explain why data is needed",
      "Offer help gently",
    ],
    dont: [
      "Alarm without reason",
      "Use medical jargon unexplained",
      "Guilt people about missed days",
    ],
    logoShapes: ["circle", "rounded-square"],
    principles: [["Legible for everyone", "Large type, high contrast, generous targets."], [
      "Privacy you can see",
      "Who sees what is always one tap away.",
    ]],
  },
  bright: {
    hue: [255, 290],
    chroma: 0.16,
    secondaryShift: -180,
    accentShift: -200,
    neutralChroma: 0.012,
    headings: ["lexend", "outfit", "fraunces"],
    bodies: ["lexend", "atkinson-hyperlegible", "figtree"],
    monos: ["jetbrains-mono", "dm-mono"],
    typeRatio: 1.25,
    radius: [8, 12, 20],
    motionMs: 220,
    traits: ["Encouraging", "Clear", "Patient", "Optimistic"],
    do: [
      "Praise effort, not only results",
      "Explain mistakes kindly",
      "Keep instructions to one step at a time",
    ],
    dont: ["Condescend", "Use red for every mistake", "Overload a screen"],
    logoShapes: ["rounded-square", "circle", "hexagon"],
    principles: [["One thing at a time", "Each screen has one job."], [
      "Progress is visible",
      "Every session ends with a sense of momentum.",
    ]],
  },
  kinetic: {
    hue: [40, 70],
    chroma: 0.15,
    secondaryShift: 190,
    accentShift: 150,
    neutralChroma: 0.01,
    headings: ["space-grotesk", "outfit", "manrope"],
    bodies: ["inter", "manrope", "dm-sans"],
    monos: ["jetbrains-mono", "space-mono"],
    typeRatio: 1.25,
    radius: [4, 8, 14],
    motionMs: 150,
    traits: ["Direct", "Reliable", "Energetic", "Transparent"],
    do: [
      "Give ETAs, not vague promises",
      "Use short, scannable status words",
      "Say what happens next",
    ],
    dont: [
      "Hide delays",
      "Write long sentences for people on the move",
      "Use ambiguous icons alone",
    ],
    logoShapes: ["diamond", "square", "circle"],
    principles: [["Glanceable in motion", "Readable at arm's length, in sunlight, with gloves."], [
      "Status is sacred",
      "Every state change is visible and timestamped.",
    ]],
  },
  industrial: {
    hue: [220, 245],
    chroma: 0.09,
    secondaryShift: -170,
    accentShift: -150,
    neutralChroma: 0.008,
    headings: ["ibm-plex-sans", "space-grotesk", "work-sans"],
    bodies: ["ibm-plex-sans", "inter", "public-sans"],
    monos: ["ibm-plex-mono", "source-code-pro"],
    typeRatio: 1.2,
    radius: [2, 4, 8],
    motionMs: 140,
    traits: ["Practical", "Dependable", "Plain-spoken", "Precise"],
    do: ["Use the team's own terms", "Make states explicit", "Show who changed what"],
    dont: ["Decorate", "Use marketing language inside the tool", "Hide history"],
    logoShapes: ["square", "hexagon", "shield"],
    principles: [["Function first", "Every pixel earns its place."], [
      "Dense but scannable",
      "Tables and status over cards and prose.",
    ]],
  },
  technical: {
    hue: [140, 175],
    chroma: 0.14,
    secondaryShift: 100,
    accentShift: 140,
    neutralChroma: 0.006,
    headings: ["space-grotesk", "jetbrains-mono", "inter"],
    bodies: SANS_BODIES,
    monos: ["jetbrains-mono", "fira-code", "ibm-plex-mono"],
    typeRatio: 1.2,
    radius: [4, 6, 10],
    motionMs: 120,
    traits: ["Precise", "Candid", "Concise", "Developer-friendly"],
    do: ["Show code before prose", "Give exact limits and numbers", "Link every error to its fix"],
    dont: [
      "Hand-wave about reliability",
      "Hide pricing behind sales calls",
      "Break APIs without notice",
    ],
    logoShapes: ["square", "hexagon", "diamond"],
    principles: [["Code is content", "Examples are first-class, copyable and correct."], [
      "Honest numbers",
      "Latency, limits and prices are published.",
    ]],
  },
};
