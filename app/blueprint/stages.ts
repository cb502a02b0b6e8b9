/** Stage names, fixed by the contract (docs/architecture.md §4). */
export const STAGE_NAMES = [
  "product",
  "brand",
  "design",
  "architecture",
  "code",
] as const;

export type StageName = (typeof STAGE_NAMES)[number];

/** Which stages each stage reads as input. */
export const STAGE_DEPENDENCIES: Record<StageName, readonly StageName[]> = {
  product: [],
  brand: ["product"],
  design: ["product"],
  architecture: ["product"],
  code: ["architecture", "design", "brand"],
};

/** Stages that (transitively) depend on the given stage, in pipeline order. */
export function downstreamOf(stage: StageName): StageName[] {
  const out = new Set<StageName>();
  for (const candidate of STAGE_NAMES) {
    const deps = STAGE_DEPENDENCIES[candidate];
    if (deps.includes(stage) || deps.some((d) => out.has(d))) out.add(candidate);
  }
  return STAGE_NAMES.filter((s) => out.has(s));
}

/** Stage names whose model tier is STRONG; the rest use FAST (docs/architecture.md §5.2). */
export const STRONG_STAGES: readonly StageName[] = ["architecture", "code"];

export function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}
