/**
 * Periodic work registered with `Deno.cron` at module load (issue 14 item 1): Deno Deploy only
 * sees crons registered at the top level of the module graph, before the server starts, so
 * server.ts imports this module first. The handlers reach the services lazily: a run that
 * fires before `attachCronTargets` waits for them.
 */

/** What the cron handlers call; each resolves when its pass is done. */
export interface CronTargets {
  /** Resumes unfinished jobs whose lease lapsed. */
  sweep(): Promise<unknown>;
  /** Runs the synthetic checks once. */
  check(): Promise<unknown>;
  /** Prunes old metrics and other expired KV bookkeeping. */
  prune(): Promise<unknown>;
}

/** Names and schedules, fixed so every instance registers the same crons. */
export const CRONS = [
  { name: "atlas9-resume-sweep", schedule: "* * * * *", task: "sweep" },
  { name: "atlas9-synthetic-checks", schedule: "* * * * *", task: "check" },
  { name: "atlas9-metrics-retention", schedule: "17 * * * *", task: "prune" },
] as const satisfies readonly { name: string; schedule: string; task: keyof CronTargets }[];

let attach: (targets: CronTargets) => void = () => {};
let attached: Promise<CronTargets> = new Promise((resolve) => (attach = resolve));

/** Whether `Deno.cron` took the registrations (false where it is unavailable). */
export const cronsRegistered: boolean = typeof Deno.cron === "function";

if (cronsRegistered) {
  for (const cron of CRONS) {
    Deno.cron(cron.name, cron.schedule, async () => {
      const targets = await attached;
      await targets[cron.task]().catch((error) => console.error(`${cron.name}:`, error));
    });
  }
}

/** Hands the cron handlers their targets (server.ts, once the services exist). */
export function attachCronTargets(targets: CronTargets): void {
  attach(targets);
  attached = Promise.resolve(targets);
}
