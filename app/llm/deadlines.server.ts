import { ProviderError } from "./types.ts";

/** Time limits of one provider call. */
export interface CallTimeouts {
  /** From the request until the first output token. */
  firstTokenMs: number;
  /** From the request until the last byte. */
  totalMs: number;
}

/** Defaults: a stage that shows nothing for 20 s or runs past 2 min moves to the next provider. */
export const DEFAULT_TIMEOUTS: CallTimeouts = { firstTokenMs: 20_000, totalMs: 120_000 };

/** The deadlines of one call: a signal that aborts upstream when the caller or a limit stops it. */
export interface CallDeadline {
  /** Pass to the upstream request: aborts on caller abort, first-token or total timeout. */
  readonly signal: AbortSignal;
  /** Why the call was cut short (timeout or aborted), once it was. */
  readonly failure: ProviderError | undefined;
  /** Settles (rejects with `failure`) when the call is cut short; never resolves. */
  readonly expired: Promise<never>;
  /** The first output token arrived: stop the first-token timer. */
  firstToken(): void;
  /** A new upstream request starts within the same call (a repair): re-arm the first-token timer. */
  expectFirstToken(): void;
  /** Clears timers and listeners; call in `finally`. */
  dispose(): void;
}

/** Starts the first-token and total timers of one call, linked to the caller's signal. */
export function startDeadline(
  callerSignal: AbortSignal,
  options: { provider: string; timeouts?: Partial<CallTimeouts> },
): CallDeadline {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const { provider } = options;
  const controller = new AbortController();
  let failure: ProviderError | undefined;
  let rejectExpired: (error: ProviderError) => void = () => {};
  const expired = new Promise<never>((_, reject) => (rejectExpired = reject));
  // Nobody may be racing against it when it fires; that must not be an unhandled rejection.
  expired.catch(() => {});

  const stop = (error: ProviderError) => {
    if (failure) return;
    failure = error;
    clearTimeout(firstTokenTimer);
    clearTimeout(totalTimer);
    controller.abort(error);
    rejectExpired(error);
  };
  const timeout = (what: string, ms: number) => () =>
    stop(new ProviderError("timeout", `${provider}: ${what} within ${ms} ms`, { provider }));
  const onCallerAbort = () =>
    stop(
      new ProviderError("aborted", `${provider}: the request was cancelled`, {
        provider,
        cause: callerSignal.reason,
      }),
    );

  const armFirstToken = () =>
    setTimeout(timeout("no first token", timeouts.firstTokenMs), timeouts.firstTokenMs);
  let firstTokenTimer: ReturnType<typeof setTimeout> | undefined = armFirstToken();
  const totalTimer = setTimeout(timeout("not finished", timeouts.totalMs), timeouts.totalMs);
  if (callerSignal.aborted) onCallerAbort();
  else callerSignal.addEventListener("abort", onCallerAbort, { once: true });

  return {
    signal: controller.signal,
    get failure() {
      return failure;
    },
    expired,
    firstToken() {
      clearTimeout(firstTokenTimer);
      firstTokenTimer = undefined;
    },
    expectFirstToken() {
      clearTimeout(firstTokenTimer);
      if (!failure) firstTokenTimer = armFirstToken();
    },
    dispose() {
      clearTimeout(firstTokenTimer);
      clearTimeout(totalTimer);
      callerSignal.removeEventListener("abort", onCallerAbort);
    },
  };
}
