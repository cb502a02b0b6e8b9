import assert from "node:assert/strict";
import { pruneSpend } from "./hygiene.server.ts";
import { createSpendLedger } from "../llm/budget.server.ts";

Deno.test("pruneSpend deletes spend counters older than two days and keeps recent ones", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
    for (const iso of ["2026-03-01", "2026-03-08", "2026-03-09", "2026-03-10"]) {
      await createSpendLedger(kv, { now: () => day(iso) }).add("u1", 0.25);
    }
    await createSpendLedger(kv, { now: () => day("2026-02-01") }).add("u2", 1);
    assert.equal(await pruneSpend(kv, { now: day("2026-03-10") }), 2);
    const today = createSpendLedger(kv, { now: () => day("2026-03-10") });
    assert.equal(await today.spentUsd("u1"), 0.25);
    const left = [];
    for await (const e of kv.list({ prefix: ["spend"] })) left.push(e.key.slice(1).join(" "));
    assert.deepEqual(left, ["u1 2026-03-08", "u1 2026-03-09", "u1 2026-03-10"]);
  } finally {
    kv.close();
  }
});
