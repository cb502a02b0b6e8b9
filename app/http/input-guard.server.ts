/**
 * Refuses malformed browser requests with a 4xx before Remix sees them (issue 13 item 9):
 * PostgreSQL rejects NUL in text (22021) and Remix throws on a form POST whose body is not a
 * form, which both used to surface as 500s. API v1 validates its own input (422).
 */
import { HttpError } from "./errors.ts";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** Whether a Content-Type header names one of the two form encodings. */
export function isFormContentType(contentType: string | null): boolean {
  const type = contentType?.split(";")[0].trim().toLowerCase() ?? "";
  return FORM_TYPES.includes(type);
}

/**
 * Throws 400 for NUL in the path or query (any route parameter) or in any form field, 415 for
 * a state-changing request whose body is not a form. `request` must have a buffered body
 * (see `limitBody`): the form is parsed from a clone.
 */
export async function refuseMalformedInput(request: Request): Promise<void> {
  const url = new URL(request.url);
  if (/%00/i.test(url.pathname + url.search)) {
    throw new HttpError(400, "The address contains a NUL character.");
  }
  try {
    decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, "The address is not valid UTF-8.");
  }
  if (!STATE_CHANGING.has(request.method.toUpperCase())) return;
  refuseForeignOrigin(request.headers);
  if (!isFormContentType(request.headers.get("content-type"))) {
    throw new HttpError(
      415,
      "Forms must be sent as application/x-www-form-urlencoded or multipart/form-data.",
    );
  }
  let form: FormData;
  try {
    form = await request.clone().formData();
  } catch {
    throw new HttpError(400, "The form could not be read.");
  }
  for (const [name, value] of form) {
    if (name.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) {
      throw new HttpError(400, "Form fields cannot contain NUL characters.");
    }
  }
}

/**
 * The check Remix makes before every action (Origin against X-Forwarded-Host, else Host), made
 * here so a mismatch is a 403 and not the exception Remix throws (a 500). The CSRF guard lets
 * `Sec-Fetch-Site: same-origin` win over Origin (a proxy may rewrite Host); a request that
 * claims same-origin while naming a foreign Origin reaches this point.
 */
function refuseForeignOrigin(headers: Headers): void {
  const origin = headers.get("origin");
  if (origin === null) return;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  const originHost = URL.canParse(origin) ? new URL(origin).host : null;
  if (!host || originHost !== host) {
    throw new HttpError(403, "Cross-site form submissions are refused.");
  }
}
