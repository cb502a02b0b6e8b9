import { consume } from "../app/kv/rate-limit.server.ts";
const kv = await Deno.openKv(":memory:");
let t = performance.now();
const r = await Promise.all(Array.from({ length: 500 }, () => consume({ kv, scope: "s", subject: "x", limit: 300, windowMs: 60000 })));
console.log("500 consume", performance.now() - t, r.filter((x) => x.allowed).length);
t = performance.now();
const r2 = await Promise.all(Array.from({ length: 700 }, () => consume({ kv, scope: "s", subject: "y", limit: 600, windowMs: 60000 })));
console.log("700 consume", performance.now() - t, r2.filter((x) => x.allowed).length);
kv.close();
