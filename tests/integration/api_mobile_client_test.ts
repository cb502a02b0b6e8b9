/** examples/mobile-client.ts, run as its own process against a real local server. */
import assert from "node:assert/strict";
import { startApi } from "../support/api.ts";

const EXAMPLE = new URL("../../examples/mobile-client.ts", import.meta.url).pathname;

Deno.test("the mobile client example signs up, creates a project and prints every stage", async () => {
  const api = await startApi();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request, info) => api.handler(request, info),
  );
  try {
    const directive = "a booking app for neighbourhood tennis courts";
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-net=127.0.0.1",
        "--allow-env=EMAIL,PASSWORD",
        EXAMPLE,
        `http://127.0.0.1:${server.addr.port}`,
        directive,
      ],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, `stdout:\n${stdout}\nstderr:\n${stderr}`);
    assert.match(stdout, /^signed up as mobile-[0-9a-f]{8}@example\.com$/m);
    assert.match(stdout, new RegExp(`created project [0-9A-Z]{26} from “${directive}”`));
    for (const stage of ["product", "brand", "design", "architecture", "code"]) {
      assert.match(stdout, new RegExp(`^\\[${stage}\\] started on offline/`, "m"));
      assert.match(stdout, new RegExp(`^\\[${stage}\\] completed v1: .+`, "m"));
    }
    assert.match(stdout, /^generation completed in \d+ ms, \$0\.0000$/m);
    assert.match(stdout, /with stages product, brand, design, architecture, code$/m);
    await api.app.services.pipeline.idle();
  } finally {
    await server.shutdown();
    await api.close();
  }
});
