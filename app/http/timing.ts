/** Collects named durations of one request for the `Server-Timing` header. */
export class ServerTiming {
  readonly #entries: { name: string; dur: number; desc?: string }[] = [];

  /** Records a finished phase. */
  add(name: string, durationMs: number, desc?: string): void {
    this.#entries.push({ name, dur: durationMs, desc });
  }

  /** Times an async phase and records it, accumulating repeated phases of one name. */
  async time<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const dur = performance.now() - start;
      const existing = this.#entries.find((e) => e.name === name);
      if (existing) existing.dur += dur;
      else this.add(name, dur);
    }
  }

  /** The header value, e.g. `db;dur=1.2, render;dur=3.4`. */
  header(): string {
    return this.#entries
      .map((e) =>
        `${e.name};dur=${e.dur.toFixed(1)}` + (e.desc ? `;desc="${e.desc.replace(/"/g, "")}"` : "")
      )
      .join(", ");
  }
}
