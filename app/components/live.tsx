import { useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";

/** Live progress of one stage, from the event stream. */
export interface LiveStage {
  state: "waiting" | "running" | "completed" | "failed";
  provider?: string;
  model?: string;
  /** Short text built from the partial output (e.g. titles streamed so far). */
  preview: string[];
  error?: string;
}

/** A short list of human-readable items from a partial stage object. */
export function previewOf(partial: unknown): string[] {
  const out: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (out.length >= 8 || depth > 3 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item && typeof item === "object") {
          const o = item as Record<string, unknown>;
          const label = o.title ?? o.name ?? o.path ?? o.chosenName;
          if (typeof label === "string" && label) out.push(label);
        }
        if (out.length >= 8) return;
      }
      return;
    }
    for (const v of Object.values(value as Record<string, unknown>)) visit(v, depth + 1);
  };
  visit(partial, 0);
  return out;
}

/**
 * Follows `/projects/:id/events` while a generation runs: keeps per-stage progress and
 * reloads the server-rendered views when a stage completes.
 */
export function useGenerationStream(
  projectId: string,
  active: boolean,
): { stages: Record<string, LiveStage>; announcement: string } {
  const [stages, setStages] = useState<Record<string, LiveStage>>({});
  const [announcement, setAnnouncement] = useState("");
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;

  useEffect(() => {
    if (!active) return;
    const source = new EventSource(`/projects/${projectId}/events`);
    const update = (stage: string, patch: Partial<LiveStage>) =>
      setStages((current) => ({
        ...current,
        [stage]: { ...(current[stage] ?? { state: "waiting", preview: [] }), ...patch },
      }));
    const on = (name: string, fn: (data: Record<string, unknown>) => void) =>
      source.addEventListener(name, (event) => {
        try {
          fn(JSON.parse((event as MessageEvent).data));
        } catch {
          // A malformed event is ignored; the next full reload corrects the view.
        }
      });
    on("stage.started", (d) =>
      update(String(d.stage), {
        state: "running",
        provider: String(d.provider),
        model: String(d.model),
        preview: [],
      }));
    on(
      "stage.delta",
      (d) => update(String(d.stage), { state: "running", preview: previewOf(d.partial) }),
    );
    on("stage.completed", (d) => {
      update(String(d.stage), { state: "completed" });
      setAnnouncement(`${String(d.stage)} stage completed`);
      revalidate.current();
    });
    on("stage.failed", (d) => {
      const error = d.error as { message?: string } | undefined;
      update(String(d.stage), { state: "failed", error: error?.message ?? "failed" });
      setAnnouncement(`${String(d.stage)} stage failed`);
      revalidate.current();
    });
    on("generation.completed", () => {
      setAnnouncement("Blueprint complete");
      source.close();
      revalidate.current();
    });
    return () => source.close();
  }, [projectId, active]);

  return { stages, announcement };
}
