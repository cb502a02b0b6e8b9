/**
 * The one title rule of a project: a new project is titled by its directive's first 80
 * characters; while it still has that title, the product stage's working name replaces it.
 * Renames (page and API) keep to the same length.
 */
export const TITLE_MAX_CHARS = 80;

/** The title a project gets at creation. */
export function titleFromDirective(directive: string): string {
  return directive.slice(0, TITLE_MAX_CHARS);
}

/** Whether a project still carries the title its creation gave it (no rename since). */
export function hasDirectiveTitle(project: { title: string; directive: string }): boolean {
  return project.title === titleFromDirective(project.directive);
}

/** A working name as a title: trimmed and cut to the length; null when nothing is left. */
export function titleFromName(name: unknown): string | null {
  if (typeof name !== "string" || !name.trim()) return null;
  return name.trim().slice(0, TITLE_MAX_CHARS);
}
