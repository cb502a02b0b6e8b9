import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { requireUser } from "../http/auth.server.ts";
import { loadBlueprintExport } from "../projects/view.server.ts";
import { blueprintMarkdown } from "../export/markdown.server.ts";
import { exportFileName } from "../export/zip.server.ts";

/** `GET /projects/:id/export.md`: the owner's whole blueprint as one Markdown document. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const blueprint = await context.timing.time(
    "db",
    () =>
      loadBlueprintExport({
        services: context.services,
        projectId: params.id ?? "",
        userId: user.id,
      }),
  );
  if (!blueprint) throw new Response("Not found", { status: 404 });
  return new Response(blueprintMarkdown(blueprint), {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${
        exportFileName(blueprint.project.slug, "md")
      }"`,
      "Cache-Control": "private, no-store",
    },
  });
}
