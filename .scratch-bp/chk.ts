import { assertInertHtml, assertWellFormedXml } from "../app/components/blueprint/test_fixtures.ts";
for (const bad of ['<p>x</p><script>1</script>', '<div onclick="x">', '<a href="javascript:alert(1)">', '<a href=" javascript:x">', '<svg><text>]]></text></svg>', '<div title="a" onmouseover=alert(1)>']) {
  try { assertInertHtml(bad); console.log("MISSED", bad); } catch { console.log("caught", bad); }
}
for (const bad of ['<svg><text>a & b</text></svg>', '<svg><g></svg>', '<svg x=1></svg>', '<svg><text>a < b</text></svg>']) {
  try { assertWellFormedXml(bad); console.log("MISSED", bad); } catch { console.log("caught", bad); }
}
