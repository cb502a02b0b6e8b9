/**
 * Hostile input, issue 13 item 11: registering an address listed in ADMIN_EMAILS first is not
 * enough to open /status. The account must present the setup token; without
 * ADMIN_SETUP_TOKEN the app generates one, prints it to the server log, and consumes it on use.
 */
import assert from "node:assert/strict";
import { confirmAdmin, startTestApp } from "../support/app.ts";
import { captureConsole, report, signedIn } from "../support/reliability.ts";

const TOKEN_LINE = /administrator setup token \(one use, enter it on \/settings\): ([0-9a-f]{48})/;

Deno.test("admin: a squatted ADMIN_EMAILS address gets no /status; the setup token is one-time", async () => {
  const logs = captureConsole({ quiet: true });
  const app = await startTestApp({ env: { ADMIN_EMAILS: "ops@example.com,lead@example.com" } });
  try {
    // Someone registers the operator's address before the operator does.
    const squatter = await signedIn(app, "ops@example.com");
    const refused = await squatter.request("/status");
    assert.equal(refused.status, 403);
    assert.doesNotMatch(await refused.text(), /Core Web Vitals/);
    const tokens = () => logs.lines.map((l) => TOKEN_LINE.exec(l.text)?.[1]).filter(Boolean);
    assert.equal(tokens().length, 1, "a setup token was printed to the server log");
    for (const guess of ["", "0".repeat(48), tokens()[0]!.slice(0, 47)]) {
      assert.equal((await confirmAdmin(squatter, guess)).status, 403);
    }
    assert.equal((await squatter.request("/status")).status, 403);

    // The operator, who reads the server log, confirms the other listed address with it.
    const lead = await signedIn(app, "lead@example.com");
    const settings = await lead.request("/settings");
    assert.match(await settings.text(), /Administrator access/);
    const first = tokens()[0]!;
    assert.equal((await confirmAdmin(lead, first)).status, 200);
    const page = await lead.request("/status");
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Core Web Vitals/);

    // Used once: the same token no longer works; a new one was printed.
    assert.equal((await confirmAdmin(squatter, first)).status, 403);
    assert.equal((await squatter.request("/status")).status, 403);
    assert.equal(tokens().length, 2);
    assert.notEqual(tokens()[1], first);

    // An unlisted account cannot use a token at all.
    const other = await signedIn(app, "someone@example.com");
    assert.equal((await confirmAdmin(other, tokens()[1]!)).status, 404);
    assert.equal((await other.request("/status")).status, 404);
    report("admin by first registration", "squatter 403 on /status; token one-time");
  } finally {
    logs.restore();
    await app.close();
  }
});
