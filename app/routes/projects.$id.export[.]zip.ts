import type { LoaderFunctionArgs } from "@remix-run/server-runtime";
import { requireUser } from "../http/auth.server.ts";
import { loadBlueprintExport } from "../projects/view.server.ts";
import { blueprintZip, exportFileName } from "../export/zip.server.ts";

/** `GET /projects/:id/export.zip`: the owner's code stubs as files, with blueprint.md and .json. */
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
  const zip = blueprintZip(blueprint).slice();
  return new Response(zip, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(zip.byteLength),
      "Content-Disposition": `attachment; filename="${
        exportFileName(blueprint.project.slug, "zip")
      }"`,
      "Cache-Control": "private, no-store",
    },
  });
}
