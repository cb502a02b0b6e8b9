/**
 * The generation engine's domain errors, in one place. They cross the Remix bundle boundary by
 * `error.name` (`isDomainError`), so each sets its name explicitly.
 */

/** Too many generations are running for this user. */
export class GenerationLimitError extends Error {
  constructor(readonly limit: number) {
    super(`You already have ${limit} generations running. Wait for one to finish.`);
    this.name = "GenerationLimitError";
  }
}

/** A stage of this project is already being generated. */
export class GenerationBusyError extends Error {
  constructor() {
    super("A generation is already running for this project. Wait for it to finish.");
    this.name = "GenerationBusyError";
  }
}

/** Another instance took over the job's lease: this instance stops working on it. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLostError";
  }
}
