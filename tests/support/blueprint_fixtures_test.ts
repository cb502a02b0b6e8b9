import assert from "node:assert/strict";
import { stageSchemas } from "../../app/blueprint/schemas.ts";
import { STAGE_NAMES } from "../../app/blueprint/stages.ts";
import { assertInertHtml, assertWellFormedXml, hostileBlueprint } from "./blueprint_fixtures.ts";

Deno.test("the hostile blueprint is schema-valid, so a model could really return it", () => {
  const blueprint = hostileBlueprint();
  for (const stage of STAGE_NAMES) stageSchemas[stage].parse(blueprint[stage]);
});

Deno.test("assertInertHtml catches every injection it is used to rule out", () => {
  const unsafe = [
    "<p>x</p><script>1</script>",
    '<img src="x">',
    '<div onclick="x">',
    '<div title="a" onmouseover=alert(1)>',
    '<a href="javascript:alert(1)">',
    '<a href=" javascript:x">',
    "<svg><text>]]></text></svg>",
  ];
  for (const html of unsafe) assert.throws(() => assertInertHtml(html), html);
  assertInertHtml('<p title="&quot; onerror=alert(1)">&lt;script&gt; javascript:x</p>');
});

Deno.test("assertWellFormedXml catches raw markup characters and unbalanced tags", () => {
  const broken = [
    "<svg><text>a & b</text></svg>",
    "<svg><g></svg>",
    "<svg x=1></svg>",
    "<svg><text>a < b</text></svg>",
  ];
  for (const xml of broken) assert.throws(() => assertWellFormedXml(xml), xml);
  assertWellFormedXml('<svg a="1 &amp; 2"><text>a &lt; b</text><rect/></svg>');
});
