/** The data layer's entry point: every repository, bound to the open database. */
import type { Db } from "./client.server.ts";
import {
  createGenerationsRepository,
  type GenerationsRepository,
} from "./repositories/generations.server.ts";
import {
  createProjectsRepository,
  type ProjectsRepository,
} from "./repositories/projects.server.ts";
import { createTokensRepository, type TokensRepository } from "./repositories/tokens.server.ts";
import { createUsersRepository, type UsersRepository } from "./repositories/users.server.ts";

export type { ApiToken, TokensRepository } from "./repositories/tokens.server.ts";
export type {
  Generation,
  GenerationsRepository,
  GenerationStatus,
  LatestStages,
} from "./repositories/generations.server.ts";
export type {
  Page,
  Project,
  ProjectsRepository,
  ProjectStatus,
  ProjectVisibility,
} from "./repositories/projects.server.ts";
export type { User, UserCredentials, UsersRepository } from "./repositories/users.server.ts";
export { EmailTakenError, InvalidCursorError, SlugTakenError } from "./errors.ts";

/** All repositories. */
export interface Repositories {
  users: UsersRepository;
  tokens: TokensRepository;
  projects: ProjectsRepository;
  generations: GenerationsRepository;
}

/** Binds every repository to `db` (primary) and `readDb` (replica, or the primary again). */
export function createRepositories({ db, readDb }: { db: Db; readDb: Db }): Repositories {
  return {
    users: createUsersRepository({ db }),
    tokens: createTokensRepository({ db }),
    projects: createProjectsRepository({ db, readDb }),
    generations: createGenerationsRepository({ db, readDb }),
  };
}
