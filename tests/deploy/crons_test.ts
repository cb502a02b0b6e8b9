/**
 * Issue 14 item 1: Deno Deploy only runs crons registered at module load, before the server
 * starts. Runs the real server.ts module graph with `Deno.cron` and `Deno.serve` stubbed.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

Deno.test("server.ts registers its crons at module load, before Deno.serve", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--preload",
        new URL("tests/deploy/cron_stub.ts", ROOT).pathname,
        new URL("server.ts", ROOT).pathname,
      ],
      cwd: ROOT.pathname,
      env: { DATA_DIR: dataDir, KV_PATH: ":memory:", PORT: "8000" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(stdout);
    const line = out.split("\n").find((l) => l.startsWith("CRON_STUB "));
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const calls = JSON.parse(line!.slice("CRON_STUB ".length));
    assert.deepEqual(calls, [
      { kind: "cron", name: "atlas9-resume-sweep", schedule: "* * * * *" },
      { kind: "cron", name: "atlas9-synthetic-checks", schedule: "* * * * *" },
      { kind: "cron", name: "atlas9-metrics-retention", schedule: "17 * * * *" },
      { kind: "serve" },
    ]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
