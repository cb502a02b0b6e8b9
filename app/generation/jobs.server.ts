import { z } from "zod";
import { STAGE_NAMES } from "../blueprint/stages.ts";

const stage = z.enum(STAGE_NAMES);

/** State of one stage inside a job. */
export const stageStateSchema = z.object({
  status: z.enum(["pending", "running", "completed", "failed"]),
  version: z.number().int().positive(),
  provider: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
});

/** A generation job as stored at `["job", jobId]` (docs/architecture.md §4). */
export const jobSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  userId: z.string(),
  directive: z.string(),
  targets: z.array(stage),
  stages: z.partialRecord(stage, stageStateSchema),
  lease: z.object({ owner: z.string(), until: z.number() }).nullable(),
  nextSeq: z.number().int().positive(),
  status: z.enum(["running", "completed", "failed", "cancelled"]),
  costUsd: z.number(),
  createdAt: z.number(),
  finishedAt: z.number().optional(),
});

/** A generation job. */
export type Job = z.infer<typeof jobSchema>;

/** The ids of a user's running generations. */
export const runningListSchema = z.array(z.string()).max(100);
