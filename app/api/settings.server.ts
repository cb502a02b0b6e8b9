import { z } from "zod";
import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import type { Services } from "../server/services.server.ts";
import { issueToken, revokeToken, tokenNameSchema } from "./tokens.server.ts";

const settingsSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), name: tokenNameSchema }),
  z.object({ intent: z.literal("revoke"), id: z.string().regex(/^[0-9A-Z]{26}$/) }),
]);

/** What a settings form did: field errors, a new token (shown once), or a revocation. */
export type SettingsResult =
  | { kind: "invalid"; reply: SubmissionResult<string[]> }
  | { kind: "created"; token: string; reply: SubmissionResult<string[]> }
  | { kind: "revoked" }
  | { kind: "not-found" };

/** Applies the API-token forms of `/settings` for one user. */
export async function settingsAction(
  form: FormData,
  input: { services: Services; userId: string },
): Promise<SettingsResult> {
  const submission = parseWithZod(form, { schema: settingsSchema });
  if (submission.status !== "success") return { kind: "invalid", reply: submission.reply() };
  const command = submission.value;
  if (command.intent === "create") {
    const issued = await issueToken({ ...input, name: command.name });
    return { kind: "created", token: issued.token, reply: submission.reply({ resetForm: true }) };
  }
  const revoked = await revokeToken({ ...input, id: command.id });
  return revoked ? { kind: "revoked" } : { kind: "not-found" };
}
