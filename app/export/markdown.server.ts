/**
 * The whole blueprint as one Markdown document (`/projects/:id/export.md`, `blueprint.md`
 * in the zip). Model text is escaped so that no Markdown renderer turns it into HTML,
 * links or structure; only code files go verbatim, inside fences longer than any backtick
 * run they contain.
 */
import { z } from "zod";
import { storyOpening } from "../render/format.ts";
import { type StageOutputs, stageSchemas } from "../blueprint/schemas.ts";
import { isHex, NEUTRAL_STEPS, PALETTE_ROLES } from "../blueprint/colour.ts";
import { STAGE_NAMES, type StageName } from "../blueprint/stages.ts";

/** The project fields an export needs. */
export interface ExportProject {
  title: string;
  directive: string;
  slug: string;
}

/** What the exports are built from: the project and the latest output of each stage. */
export interface BlueprintInput {
  project: ExportProject;
  stages: Partial<Record<StageName, unknown>>;
}

/**
 * Inline text safe in any Markdown position: one line, HTML characters as entities, Markdown
 * punctuation backslash-escaped, and no block syntax (heading, list, quote) at its start.
 */
export function mdInline(value: string): string {
  return value
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\\`*_{}[\]|~]/g, "\\$&")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/^[#+=-]/, "\\$&")
    .replace(/^(\d+)([.)])/, "$1\\$2");
}

/** Multi-paragraph text: each paragraph escaped as inline text. */
function mdBlock(value: string): string {
  return value.split(/\n\s*\n/).map(mdInline).filter(Boolean).join("\n\n");
}

/** A fenced code block that the content cannot close early. */
export function mdFence(content: string, language: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const info = (language.toLowerCase().match(/^[a-z0-9+#-]+/)?.[0] ?? "").slice(0, 20);
  return `${fence}${info}\n${content.replace(/\n$/, "")}\n${fence}`;
}

/** A colour value: strict hex as is (readable), anything else escaped. */
const hex = (value: string) => (isHex(value) ? value : mdInline(value));

function table(head: string[], rows: string[][]): string {
  if (!rows.length) return "";
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

const bullets = (items: readonly string[]) => items.map((item) => `- ${mdInline(item)}`).join("\n");
const numbered = (items: readonly string[]) =>
  items.map((item, index) => `${index + 1}. ${mdInline(item)}`).join("\n");

/** Joins non-empty parts with a blank line. */
function blocks(...parts: (string | false | undefined)[]): string {
  return parts.filter((part): part is string => Boolean(part && part.trim())).join("\n\n");
}

function section(title: string, body: string): string | false {
  return body.trim() !== "" && `### ${title}\n\n${body}`;
}

function productMd(product: StageOutputs["product"]): string {
  const tiers = (["P0", "P1", "P2"] as const).map((priority) => {
    const features = product.features.filter((feature) => feature.priority === priority);
    if (!features.length) return "";
    const label = { P0: "Must have", P1: "Should have", P2: "Nice to have" }[priority];
    return blocks(
      `#### ${label} (${priority})`,
      ...features.map((feature) =>
        blocks(
          `##### ${mdInline(feature.title)}`,
          mdBlock(feature.description),
          feature.userStories.map((story) =>
            `- ${storyOpening(story.asA)} ${mdInline(story.asA)}, I want ${
              mdInline(story.iWant)
            }, so that ${mdInline(story.soThat)}\n` + story.acceptanceCriteria.map((c) =>
              `  - [ ] ${mdInline(c)}`
            ).join("\n")
          ).join("\n"),
        )
      ),
    );
  });
  return blocks(
    `## Product — ${mdInline(product.workingName)}`,
    `*${mdInline(product.oneLiner)}*`,
    section("Problem", mdBlock(product.problem)),
    section("Who it is for", mdBlock(product.targetUsers)),
    section(
      "Personas",
      product.personas.map((persona) =>
        `- **${mdInline(persona.name)}** — ${mdInline(persona.description)} Goals: ${
          persona.goals.map(mdInline).join("; ")
        }`
      ).join("\n"),
    ),
    section("Goals", numbered(product.goals)),
    section("Not in scope", bullets(product.nonGoals)),
    section("Features", blocks(...tiers)),
    section(
      "Success metrics",
      table(
        ["Metric", "Target"],
        product.successMetrics.map((m) => [mdInline(m.name), mdInline(m.target)]),
      ),
    ),
    section(
      "Competitive landscape",
      table(
        ["Competitor", "Their angle", "How we differ"],
        product.competitors.map((c) => [c.name, c.angle, c.differentiation].map(mdInline)),
      ),
    ),
    section(
      "Risks",
      table(["Risk", "Mitigation"], product.risks.map((r) => [r.risk, r.mitigation].map(mdInline))),
    ),
    section("Open questions", bullets(product.openQuestions)),
  );
}

function brandMd(brand: StageOutputs["brand"]): string {
  const { palette, typography } = brand;
  const font = (role: string, f: StageOutputs["brand"]["typography"]["body"]) =>
    `- ${role}: **${mdInline(f.family)}** (${f.weights.join(", ")}), fallback ${
      mdInline(f.fallback)
    }, package ${mdInline(f.fontsourcePackage)}`;
  return blocks(
    `## Brand — ${mdInline(brand.chosenName)}`,
    `*${mdInline(brand.tagline)}*`,
    mdBlock(brand.mission),
    section(
      "Name candidates",
      brand.nameCandidates.map((c) =>
        `- **${mdInline(c.name)}** (${mdInline(c.strategy)})${
          c.name === brand.chosenName ? " — chosen" : ""
        }: ${mdInline(c.rationale)}`
      ).join("\n"),
    ),
    section(
      "Voice",
      blocks(
        `Traits: ${brand.voice.traits.map(mdInline).join(", ")}`,
        `Do:\n\n${bullets(brand.voice.do)}`,
        `Don't:\n\n${bullets(brand.voice.dont)}`,
      ),
    ),
    section(
      "Palette",
      table(["Role", "Hex"], [
        ...PALETTE_ROLES.map((role) => [role, hex(palette[role])]),
        ...palette.neutral.map((value, index) => [`neutral-${NEUTRAL_STEPS[index]}`, hex(value)]),
      ]),
    ),
    section(
      "Text contrast",
      table(
        ["Text", "Background", "Ratio", "WCAG AA"],
        brand.contrast.map((pair) => [
          `${pair.foreground} (${hex(pair.foregroundHex)})`,
          `${pair.background} (${hex(pair.backgroundHex)})`,
          `${pair.ratio.toFixed(2)}:1`,
          pair.passesAA ? "pass" : "fail",
        ]),
      ),
    ),
    section(
      "Typography",
      blocks(
        [
          font("Heading", typography.heading),
          font("Body", typography.body),
          font("Mono", typography.mono),
        ].join("\n"),
        table(
          ["Token", "Size", "Line height"],
          typography.scale.map((s) => [mdInline(s.token), `${s.sizePx}px`, String(s.lineHeight)]),
        ),
      ),
    ),
    section(
      "Logo concept",
      blocks(
        mdBlock(brand.logoConcept.description),
        `Symbol: ${
          mdInline(brand.logoConcept.symbol)
        }. Shape: ${brand.logoConcept.shape}. Colours: ${
          brand.logoConcept.colourRoles.join(", ")
        }.`,
      ),
    ),
  );
}

function designMd(design: StageOutputs["design"]): string {
  const { tokens } = design;
  const screenName = new Map(design.screens.map((s) => [s.id, s.name]));
  return blocks(
    "## Design system",
    section(
      "Principles",
      design.principles.map((p) => `- **${mdInline(p.title)}** — ${mdInline(p.description)}`)
        .join("\n"),
    ),
    section(
      "Tokens",
      table(["Token", "Kind", "Value"], [
        ...tokens.spacing.map((t) => [mdInline(t.token), "spacing", `${t.px}px`]),
        ...tokens.radius.map((t) => [mdInline(t.token), "radius", `${t.px}px`]),
        ...tokens.elevation.map((t) => [mdInline(t.token), "elevation", mdInline(t.shadow)]),
        ...tokens.motion.map((t) => [
          mdInline(t.token),
          "motion",
          `${t.durationMs}ms ${mdInline(t.easing)}`,
        ]),
        ...tokens.colors.map((t) => [mdInline(t.token), "colour", t.role]),
      ]),
    ),
    section(
      "Components",
      design.components.map((c) =>
        `- **${mdInline(c.name)}** — ${mdInline(c.purpose)}${
          c.variants.length ? ` Variants: ${c.variants.map(mdInline).join(", ")}` : ""
        }`
      ).join("\n"),
    ),
    section(
      "Screens",
      blocks(...design.screens.map((screen) =>
        blocks(
          `#### ${mdInline(screen.name)} — ${mdInline(screen.route)}`,
          mdBlock(screen.purpose),
          [
            `- Sections: ${screen.sections.map(mdInline).join(", ")}`,
            `- Primary action: ${mdInline(screen.primaryAction)}`,
            screen.features.length ? `- Serves: ${screen.features.map(mdInline).join(", ")}` : "",
          ].filter(Boolean).join("\n"),
        )
      )),
    ),
    section(
      "Navigation",
      `${design.navigation.pattern}: ${
        design.navigation.items.map((item) =>
          `${mdInline(item.label)} (${mdInline(screenName.get(item.screenId) ?? item.screenId)})`
        ).join(", ")
      }`,
    ),
    section(
      "Key flows",
      blocks(...design.flows.map((flow) =>
        blocks(
          `#### ${mdInline(flow.name)}`,
          mdInline(flow.goal),
          flow.steps.map((step, index) =>
            `${index + 1}. ${mdInline(screenName.get(step.screenId) ?? step.screenId)}: ${
              mdInline(step.action)
            }`
          ).join("\n"),
        )
      )),
    ),
  );
}

function architectureMd(architecture: StageOutputs["architecture"]): string {
  const { deployment } = architecture;
  const fields = (list: { name: string; type: string; required: boolean }[]) =>
    list.length
      ? list.map((f) => mdInline(`${f.name}${f.required ? "" : "?"}: ${f.type}`)).join(", ")
      : "—";
  return blocks(
    "## Architecture",
    section(
      "Stack",
      table(
        ["Layer", "Choice", "Rationale"],
        architecture.stack.map((s) => [s.layer, s.choice, s.rationale].map(mdInline)),
      ),
    ),
    section(
      "Services",
      architecture.services.map((s) => `- **${mdInline(s.name)}** — ${mdInline(s.responsibility)}`)
        .join("\n"),
    ),
    section(
      "Data model",
      blocks(...architecture.dataModel.entities.map((entity) =>
        blocks(
          `#### ${mdInline(entity.name)}`,
          mdBlock(entity.description),
          table(
            ["Field", "Type", "Required", "Unique", "References"],
            entity.fields.map((f) => [
              mdInline(f.name),
              f.type,
              f.required ? "yes" : "no",
              f.unique ? "yes" : "no",
              f.references ? mdInline(f.references) : "",
            ]),
          ),
          entity.relations.length > 0 &&
            `Relations: ${
              entity.relations.map((r) => `${r.kind} ${mdInline(r.target)}`).join(", ")
            }`,
        )
      )),
    ),
    section(
      "API endpoints",
      table(
        ["Method", "Path", "Purpose", "Entity", "Request", "Response"],
        architecture.endpoints.map((e) => [
          e.method,
          mdInline(e.path),
          mdInline(e.purpose),
          mdInline(e.entity),
          fields(e.request.fields),
          `${e.response.status} ${fields(e.response.fields)}`,
        ]),
      ),
    ),
    section(
      "Integrations",
      architecture.integrations.map((i) => `- **${mdInline(i.name)}** — ${mdInline(i.purpose)}`)
        .join("\n"),
    ),
    section(
      "Deployment",
      `**${mdInline(deployment.target)}** — ${mdInline(deployment.description)} Environments: ${
        deployment.environments.map(mdInline).join(", ")
      }.`,
    ),
    section(
      "Non-functional requirements",
      architecture.nonFunctional.map((n) => `- **${n.category}**: ${mdInline(n.requirement)}`)
        .join("\n"),
    ),
    section(
      "Decisions",
      architecture.decisions.map((d) =>
        `- **${mdInline(d.title)}** — chose ${mdInline(d.choice)}: ${mdInline(d.rationale)}`
      ).join("\n"),
    ),
  );
}

function codeMd(code: StageOutputs["code"], includeCode: boolean): string {
  return blocks(
    "## Code",
    section("Run it", numbered(code.instructions)),
    section(
      "Files",
      `Entry point: ${mdInline(code.entrypoint)}\n\n${
        code.files.map((file) => `- ${mdInline(file.path)} (${mdInline(file.language)})`).join("\n")
      }`,
    ),
    includeCode &&
      blocks(
        ...code.files.map((file) =>
          `#### ${mdInline(file.path)}\n\n${mdFence(file.content, file.language)}`
        ),
      ),
  );
}

const renderers: { [S in StageName]: (output: StageOutputs[S], includeCode: boolean) => string } = {
  product: productMd,
  brand: brandMd,
  design: designMd,
  architecture: architectureMd,
  code: codeMd,
};

/** A stage output parsed with its schema, or undefined when missing or malformed. */
export function readStage<S extends StageName>(
  stages: Partial<Record<StageName, unknown>>,
  stage: S,
): StageOutputs[S] | undefined {
  if (stages[stage] === undefined || stages[stage] === null) return undefined;
  const parsed = (stageSchemas[stage] as z.ZodType).safeParse(stages[stage]);
  return parsed.success ? parsed.data as StageOutputs[S] : undefined;
}

/**
 * The blueprint as Markdown: project header, then each stage that is present. With
 * `includeCode: false` the code files are listed but not inlined (the zip carries them).
 */
export function blueprintMarkdown(
  { project, stages, includeCode = true }: BlueprintInput & { includeCode?: boolean },
): string {
  const parts = [
    `# ${mdInline(project.title)}`,
    `> ${mdInline(project.directive)}`,
    `A product blueprint generated by Atlas9 (project ${mdInline(project.slug)}).`,
  ];
  for (const stage of STAGE_NAMES) {
    const present = stages[stage] !== undefined && stages[stage] !== null;
    const output = readStage(stages, stage);
    if (output) {
      parts.push((renderers[stage] as (o: unknown, c: boolean) => string)(output, includeCode));
    } else if (present) {
      parts.push(`## ${stage}\n\nThis stage could not be exported: its output is not readable.`);
    }
  }
  return `${blocks(...parts)}\n`;
}
