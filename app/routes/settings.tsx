import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/server-runtime";
import { json } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "../http/auth.server.ts";
import { listTokens } from "../api/tokens.server.ts";
import { settingsAction } from "../api/settings.server.ts";
import { Field, fieldErrors, FormErrors } from "../components/form.tsx";
import {
  adminAccess,
  claimAdmin,
  ensureSetupToken,
  parseAdminClaim,
} from "../auth/admin.server.ts";

export const meta: MetaFunction = () => [{ title: "Settings — Atlas9" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const tokens = await context.timing.time(
    "db",
    () => listTokens({ services: context.services, userId: user.id }),
  );
  const access = await adminAccess(context.services, user);
  if (access === "unconfirmed" && !context.services.env.adminSetupToken) {
    await ensureSetupToken(context.services.kv);
  }
  return json({ email: user.email, tokens, adminSetup: access === "unconfirmed" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  const claim = parseAdminClaim(form);
  if (claim) {
    const outcome = await claimAdmin(context.services, user, claim.token);
    if (outcome === "not-listed") throw new Response("Not found", { status: 404 });
    return json(
      { reply: null, token: null, revoked: false, admin: outcome },
      { status: outcome === "granted" ? 200 : 403 },
    );
  }
  const result = await settingsAction(form, {
    services: context.services,
    userId: user.id,
  });
  switch (result.kind) {
    case "invalid":
      return json({ reply: result.reply, token: null, revoked: false }, { status: 400 });
    case "created":
      return json({ reply: result.reply, token: result.token, revoked: false });
    case "revoked":
      return json({ reply: null, token: null, revoked: true });
    case "not-found":
      throw new Response("Not found", { status: 404 });
  }
}

export default function Settings() {
  const { email, tokens, adminSetup } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <>
      <h1>Settings</h1>
      <p className="muted">Signed in as {email}.</p>
      {result && "admin" in result && result.admin === "granted"
        ? (
          <p role="status" className="form-success">
            Administrator access confirmed. <a href="/status">Open Status</a>.
          </p>
        )
        : null}
      {adminSetup
        ? (
          <section aria-labelledby="admin-heading" className="card stack">
            <h2 id="admin-heading" style={{ marginTop: 0 }}>Administrator access</h2>
            <p>
              This address is listed as an administrator. Confirm it is yours with the setup token
              (<code>ADMIN_SETUP_TOKEN</code>, or the one printed in the server log).
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="admin" />
              {result && "admin" in result && result.admin === "wrong-token"
                ? <p className="field-error" role="alert">That setup token is not valid.</p>
                : null}
              <label htmlFor="admin-token">Setup token</label>
              <input id="admin-token" name="token" type="password" autoComplete="off" required />
              <button type="submit" disabled={busy}>Confirm</button>
            </Form>
          </section>
        )
        : null}
      <section aria-labelledby="tokens-heading" className="card stack">
        <h2 id="tokens-heading" style={{ marginTop: 0 }}>API tokens</h2>
        <p>
          Tokens let a mobile app or script use the <a href="/api/docs">Atlas9 API</a>{" "}
          as you. Send one as <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
        {result?.token
          ? (
            <div className="form-success" role="status">
              <p>
                <strong>Your new token — copy it now, it is shown only once:</strong>
              </p>
              <pre><code>{result.token}</code></pre>
            </div>
          )
          : null}
        {result?.revoked ? <p role="status">Token revoked.</p> : null}
        <Form method="post" noValidate>
          <FormErrors errors={fieldErrors(result?.reply ?? undefined, "")} />
          <input type="hidden" name="intent" value="create" />
          <Field
            label="Token name"
            name="name"
            errors={fieldErrors(result?.reply ?? undefined, "name")}
          >
            {(props) => (
              <input {...props} type="text" maxLength={60} placeholder="My iPhone app" required />
            )}
          </Field>
          <button type="submit" disabled={busy}>Create token</button>
        </Form>
        {tokens.length
          ? (
            <table>
              <caption className="visually-hidden">Your active API tokens</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>
                      <code>{token.prefix}…</code>
                    </td>
                    <td>{token.createdAt.slice(0, 10)}</td>
                    <td>
                      {token.lastUsedAt ? token.lastUsedAt.slice(0, 16).replace("T", " ") : "never"}
                    </td>
                    <td>
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={token.id} />
                        <button
                          type="submit"
                          className="secondary"
                          aria-label={`Revoke ${token.name}`}
                        >
                          Revoke
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
          : <p className="muted">No active tokens.</p>}
      </section>
    </>
  );
}
