import { createApp } from "./app.ts";
import { createPool } from "./db.ts";
import { model } from "./model.ts";

const pool = createPool();
Deno.serve({ port: Number(Deno.env.get("PORT") ?? 8000) }, createApp(pool, model));
