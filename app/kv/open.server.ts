import { join } from "node:path";
import type { Env } from "../config/env.server.ts";

/** Opens the Deno KV store the configuration points at; each call opens a new handle. */
export async function openKv(
  env: Pick<Env, "kvPath" | "dataDir" | "denoDeploymentId">,
): Promise<Deno.Kv> {
  if (env.kvPath !== undefined) {
    if (!isRemoteOrMemory(env.kvPath)) await ensureParentDir(env.kvPath);
    return await Deno.openKv(env.kvPath);
  }
  // On Deno Deploy the argument-less call reaches the platform's global KV; the filesystem is read-only.
  if (env.denoDeploymentId !== undefined) return await Deno.openKv();
  await Deno.mkdir(env.dataDir, { recursive: true });
  return await Deno.openKv(join(env.dataDir, "kv.sqlite3"));
}

function isRemoteOrMemory(path: string): boolean {
  return path === ":memory:" || /^https?:\/\//i.test(path);
}

async function ensureParentDir(path: string): Promise<void> {
  const parent = join(path, "..");
  await Deno.mkdir(parent, { recursive: true });
}
