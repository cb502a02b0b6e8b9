import { renderToString } from "react-dom/server";
import { hostileBlueprint } from "/work/main/app/components/blueprint/test_fixtures.ts";
import { StageView } from "/work/main/app/components/blueprint/StageView.tsx";
import { prepareStageExtras } from "/work/main/app/components/blueprint/extras.server.ts";
import { stageSchemas } from "/work/main/app/generation/schemas.ts";
import { blueprintMarkdown } from "/work/main/app/export/markdown.server.ts";
import { blueprintZipEntries } from "/work/main/app/export/zip.server.ts";
const b = hostileBlueprint();
for (const s of ["product","brand","design","architecture","code"] as const) {
  stageSchemas[s].parse(b[s]);
  const extras = prepareStageExtras(s, b[s] as never, { palette: b.brand.palette });
  const html = renderToString(<StageView view={{ stage: s, output: b[s], extras } as never} blueprint={b} />);
  console.log(s, html.length, /<script|<img|onerror=alert|href="javascript/i.test(html));
  Deno.writeTextFileSync(`/tmp/bp/${s}.html`, html);
}
const md = blueprintMarkdown({ project: { title: "T <b>", directive: "<script>", slug: "x" }, stages: b });
Deno.writeTextFileSync("/tmp/bp/bp.md", md);
console.log(Object.keys(blueprintZipEntries({ project: { title: "T", directive: "d", slug: "x" }, stages: b })));
