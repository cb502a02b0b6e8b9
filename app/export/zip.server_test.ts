import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import {
  DIRECTIVES,
  hostileBlueprint,
  offlineBlueprint,
} from "../../tests/support/blueprint_fixtures.ts";
import { blueprintZip, exportFileName, safeZipPath } from "./zip.server.ts";

const project = {
  title: "Farm boxes",
  directive: "A marketplace for vegetable boxes",
  slug: "farm",
};

Deno.test("safeZipPath removes every way out of the extraction folder", () => {
  const cases: [string, string][] = [
    ["src/app.ts", "src/app.ts"],
    ["../../etc/passwd", "etc/passwd"],
    ["/abs/x", "abs/x"],
    ["a\\b", "a/b"],
    ["a/../../b", "a/b"],
    ["./a//b/./c", "a/b/c"],
    ["C:\\Windows\\x.ini", "C-/Windows/x.ini"],
    ["a\u0000b\u001f/c\u202e.ts", "ab/c.ts"],
    ["dir. /file. ", "dir/file"],
    ["con/aux.txt", "_con/_aux.txt"],
    [".env.example", ".env.example"],
    ["../..", ""],
    ["  ", ""],
  ];
  for (const [input, expected] of cases) assert.equal(safeZipPath(input), expected, input);
});

Deno.test("the zip holds code files under code/, blueprint.md and blueprint.json", () => {
  const blueprint = hostileBlueprint();
  const files = unzipSync(blueprintZip({ project, stages: blueprint }));
  const names = Object.keys(files).sort();
  assert.deepEqual(names, [
    "blueprint.json",
    "blueprint.md",
    "code/a/b",
    "code/a/b-2",
    "code/abs/x",
    `code/docs/---script-alert(1)-/script-]]-.md`,
    "code/etc/passwd",
    "code/src/app-2.ts",
    "code/src/app.ts",
  ]);
  for (const name of names) {
    assert.ok(!name.startsWith("/") && !name.includes("\\"), name);
    assert.ok(name.split("/").every((s) => s !== "" && s !== "." && s !== ".."), name);
    // deno-lint-ignore no-control-regex
    assert.ok(!/[\u0000-\u001f]/.test(name), name);
  }
  assert.equal(strFromU8(files["code/src/app.ts"]), blueprint.code.files[0].content);
  assert.equal(strFromU8(files["code/src/app-2.ts"]), "duplicate");
  const json = JSON.parse(strFromU8(files["blueprint.json"]));
  assert.deepEqual(json.project, project);
  assert.equal(json.stages.brand.chosenName, blueprint.brand.chosenName);
  const markdown = strFromU8(files["blueprint.md"]);
  assert.ok(markdown.startsWith("# Farm boxes\n"));
  assert.ok(!markdown.includes("const x ="), "code lives in code/, not in blueprint.md");
});

Deno.test("the zip is the same bytes for the same blueprint", () => {
  const stages = hostileBlueprint();
  assert.deepEqual(blueprintZip({ project, stages }), blueprintZip({ project, stages }));
});

Deno.test("a blueprint without a code stage zips just the documents", () => {
  const files = unzipSync(
    blueprintZip({ project, stages: { product: hostileBlueprint().product } }),
  );
  assert.deepEqual(Object.keys(files).sort(), ["blueprint.json", "blueprint.md"]);
});

Deno.test("export file names are built from the slug alone", () => {
  assert.equal(exportFileName("farm-boxes", "zip"), "atlas9-farm-boxes.zip");
  assert.equal(exportFileName('x"; filename=evil.exe\r\n', "md"), "atlas9-x-filename-evil-exe.md");
  assert.equal(exportFileName("", "zip"), "atlas9.zip");
});

Deno.test("an offline blueprint zips every code file at its own path", () => {
  const blueprint = offlineBlueprint(DIRECTIVES[0]);
  const files = unzipSync(blueprintZip({ project, stages: blueprint }));
  for (const file of blueprint.code.files) {
    assert.equal(strFromU8(files[`code/${file.path}`]), file.content, file.path);
  }
  assert.equal(Object.keys(files).length, blueprint.code.files.length + 2);
});
