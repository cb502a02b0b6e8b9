/**
 * Administrator access (issue 13 item 11). Being listed in `ADMIN_EMAILS` is not enough: the
 * app does not verify addresses, so whoever registered a listed address first would get
 * `/status`. A listed account also needs a grant, which it obtains once with the setup token:
 * `ADMIN_SETUP_TOKEN` when set (operator-held, reusable for each listed account), else a random
 * token generated on first need, stored in KV and printed to the server log, consumed when used
 * (a new one is printed for the next admin). See docs/decisions/013-hostile-input.md.
 */
import { z } from "zod";
import { adminGrantKey, adminSetupTokenKey } from "../kv/keys.ts";
import { readEntry, readValue } from "../kv/values.server.ts";
import type { Services } from "../server/services.server.ts";

type AdminServices = Pick<Services, "kv" | "env">;

const grantSchema = z.object({ email: z.string(), grantedAt: z.number() });
const tokenSchema = z.string().min(24);
const adminClaimSchema = z.object({ intent: z.literal("admin"), token: z.string().max(200) });

/**
 * The setup-token form of /settings (`intent=admin`), or null for its other forms. Parsed here,
 * not in the route, so zod stays out of the route's browser chunk.
 */
export function parseAdminClaim(form: FormData): { token: string } | null {
  const claim = adminClaimSchema.safeParse(Object.fromEntries(form));
  return claim.success ? { token: claim.data.token.trim() } : null;
}

/** Whether `email` is listed in ADMIN_EMAILS (case-insensitive). */
export function isListedAdmin(email: string | null | undefined, adminEmails: readonly string[]) {
  return typeof email === "string" && adminEmails.includes(email.trim().toLowerCase());
}

/** Access of a signed-in user: not listed, listed but not yet confirmed, or an admin. */
export async function adminAccess(
  services: AdminServices,
  user: { id: string; email: string },
): Promise<"none" | "unconfirmed" | "admin"> {
  if (!isListedAdmin(user.email, services.env.adminEmails)) return "none";
  const grant = await readValue(services.kv, adminGrantKey(user.id), grantSchema);
  // Bound to the address too: an account that changes its email loses the grant.
  return grant && grant.email === user.email.trim().toLowerCase() ? "admin" : "unconfirmed";
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The generated setup token, created (and printed once to the server log) when there is none.
 * Not used when ADMIN_SETUP_TOKEN is set.
 */
export async function ensureSetupToken(kv: Deno.Kv): Promise<void> {
  const key = adminSetupTokenKey();
  const existing = await readEntry(kv, key, tokenSchema);
  if (existing.value) return;
  const token = randomToken();
  const result = await kv.atomic().check({ key, versionstamp: existing.versionstamp })
    .set(key, token).commit();
  if (result.ok) {
    console.log(
      `Atlas9: administrator setup token (one use, enter it on /settings): ${token}`,
    );
  }
}

function sameToken(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/**
 * Grants administrator access to a listed user presenting the setup token. A generated token
 * is consumed in the same atomic commit as the grant (so it works once) and replaced.
 */
export async function claimAdmin(
  services: AdminServices,
  user: { id: string; email: string },
  presented: string,
): Promise<"granted" | "not-listed" | "wrong-token"> {
  if (!isListedAdmin(user.email, services.env.adminEmails)) return "not-listed";
  const grant = { email: user.email.trim().toLowerCase(), grantedAt: Date.now() };
  const configured = services.env.adminSetupToken;
  if (configured) {
    if (!sameToken(presented, configured)) return "wrong-token";
    await services.kv.set(adminGrantKey(user.id), grant);
    return "granted";
  }
  const key = adminSetupTokenKey();
  const stored = await readEntry(services.kv, key, tokenSchema);
  if (!stored.value || !sameToken(presented, stored.value)) return "wrong-token";
  const result = await services.kv.atomic()
    .check({ key, versionstamp: stored.versionstamp })
    .delete(key)
    .set(adminGrantKey(user.id), grant)
    .commit();
  if (!result.ok) return "wrong-token";
  await ensureSetupToken(services.kv);
  return "granted";
}
