/**
 * The one place a change to a project reaches the edge: every write of the projects repository
 * (page, API and pipeline alike) that touches a public project, or makes one private, removes
 * its stored page, API resource, render data and share image, and refreshes the landing page
 * that lists public projects, before the write returns.
 */
import type { Project, ProjectsRepository } from "../../db/repositories.server.ts";
import { forgetPublicPage } from "./render.server.ts";
import { LANDING_SCOPE, projectScope } from "./page-store.server.ts";
import type { PageStore } from "./page-store.server.ts";

/** The projects repository with edge invalidation after each committed change. */
export function withEdgeInvalidation(
  projects: ProjectsRepository,
  deps: { kv: Deno.Kv; pages: Pick<PageStore, "invalidate"> },
): ProjectsRepository {
  const forget = async (project: Pick<Project, "slug">) => {
    await deps.pages.invalidate([projectScope(project.slug), LANDING_SCOPE]);
    await forgetPublicPage(deps.kv, project.slug);
  };
  const afterChange = async (id: string) => {
    const project = await projects.getById(id);
    if (project?.visibility === "public") await forget(project);
  };
  return {
    ...projects,
    async create(options) {
      const project = await projects.create(options);
      if (project.visibility === "public") await forget(project);
      return project;
    },
    async update(options) {
      const project = await projects.update(options);
      // Made private: the copies of its public state must go too.
      if (project && (project.visibility === "public" || options.visibility !== undefined)) {
        await forget(project);
      }
      return project;
    },
    async rename(options) {
      const renamed = await projects.rename(options);
      if (renamed) await afterChange(options.id);
      return renamed;
    },
    async setStatus(options) {
      const changed = await projects.setStatus(options);
      if (changed) await afterChange(options.id);
      return changed;
    },
    async delete(options) {
      const project = await projects.getForUser(options);
      const deleted = await projects.delete(options);
      if (deleted && project?.visibility === "public") await forget(project);
      return deleted;
    },
  };
}
