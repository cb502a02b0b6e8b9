import assert from "node:assert/strict";
import { BudgetExceededError, createSpendLedger, utcDay } from "./budget.server.ts";
import { spendKey } from "../kv/keys.ts";

Deno.test("spend adds up per user per UTC day, as micro-dollars", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    let clock = Date.parse("2025-03-01T23:59:00Z");
    const ledger = createSpendLedger(kv, { now: () => clock });
    await Promise.all([ledger.add("u", 0.25), ledger.add("u", 0.5), ledger.add("v", 1)]);
    assert.equal(await ledger.spentUsd("u"), 0.75);
    const raw = await kv.get(spendKey("u", "2025-03-01"));
    assert.equal((raw.value as Deno.KvU64).value, 750_000n);
    clock = Date.parse("2025-03-02T00:00:01Z");
    assert.equal(await ledger.spentUsd("u"), 0, "a new UTC day starts at zero");
  } finally {
    kv.close();
  }
});

Deno.test("assertWithin throws a non-retryable BudgetExceededError at the limit", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const ledger = createSpendLedger(kv);
    await ledger.assertWithin("u", 1);
    await ledger.add("u", 1);
    await assert.rejects(ledger.assertWithin("u", 1), (error: unknown) => {
      assert.ok(error instanceof BudgetExceededError);
      assert.equal(error.retryable, false);
      assert.equal(error.kind, "quota_exhausted");
      assert.match(error.message, /resets at 00:00 UTC/);
      return true;
    });
  } finally {
    kv.close();
  }
});

Deno.test("utcDay formats the UTC calendar day", () => {
  assert.equal(utcDay(Date.parse("2025-12-31T23:30:00-02:00")), "2026-01-01");
});
