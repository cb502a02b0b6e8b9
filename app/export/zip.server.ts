/**
 * The blueprint as a zip (`/projects/:id/export.zip`): the code stage's files under `code/`,
 * plus `blueprint.md` and `blueprint.json`. File paths come from the model, so they are
 * sanitised again here, whatever normalisation did before.
 */
import { strToU8, type Zippable, zipSync } from "fflate";
import { type BlueprintInput, blueprintMarkdown, readStage } from "./markdown.server.ts";

// Fixed so the same blueprint always zips to the same bytes (stable ETags, cacheable).
const MTIME = new Date("2020-01-01T00:00:00Z");

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A relative path safe to extract anywhere: `/` separators only (backslashes split too), no
 * absolute or drive prefix, no empty, `.` or `..` segments, no control or reserved characters.
 * Empty when nothing is left.
 */
export function safeZipPath(path: string): string {
  return path
    .normalize("NFC")
    .replace(/\\/g, "/")
    .split("/")
    .map((segment) =>
      // deno-lint-ignore no-control-regex
      segment.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "")
        .replace(/[<>:"|?*]/g, "-")
        .trim()
    )
    .filter((segment) => segment !== "" && !/^\.+$/.test(segment))
    // Windows drops trailing dots and spaces, which would make distinct names collide.
    .map((segment) => segment.replace(/[. ]+$/, "").slice(0, 100))
    .filter((segment) => segment !== "")
    .map((segment) => (WINDOWS_RESERVED.test(segment) ? `_${segment}` : segment))
    .join("/");
}

/** `a/b.ts` → `a/b-2.ts`: the first variant not taken (compared case-insensitively). */
function claim(path: string, taken: Set<string>): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  const cut = dot > slash + 1 ? dot : path.length;
  let candidate = path;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    candidate = `${path.slice(0, cut)}-${n}${path.slice(cut)}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** The zip's file list: `code/<safe path>` per code file, then the two blueprint documents. */
export function blueprintZipEntries(input: BlueprintInput): Record<string, string> {
  const entries: Record<string, string> = {};
  const taken = new Set<string>();
  for (const file of readStage(input.stages, "code")?.files ?? []) {
    const safe = safeZipPath(file.path);
    if (!safe) continue;
    entries[`code/${claim(safe, taken)}`] = file.content;
  }
  entries["blueprint.md"] = blueprintMarkdown({ ...input, includeCode: false });
  entries["blueprint.json"] = `${
    JSON.stringify({ project: input.project, stages: input.stages }, null, 2)
  }\n`;
  return entries;
}

/** The blueprint as zip bytes. */
export function blueprintZip(input: BlueprintInput): Uint8Array {
  const files: Zippable = {};
  for (const [path, content] of Object.entries(blueprintZipEntries(input))) {
    files[path] = [strToU8(content), { mtime: MTIME }];
  }
  return zipSync(files, { level: 6 });
}

/**
 * A download file name from the project slug, e.g. `atlas9-farm-boxes.zip`; safe in a
 * `Content-Disposition` header (lowercase letters, digits and dashes only).
 */
export function exportFileName(slug: string, extension: "zip" | "md"): string {
  const safe = slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return `atlas9${safe ? `-${safe}` : ""}.${extension}`;
}
