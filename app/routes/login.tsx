import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
} from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/server-runtime";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, fieldErrors, FormErrors } from "../components/form.tsx";
import { getUser } from "../http/auth.server.ts";
import { logIn } from "../auth/accounts.server.ts";

/** A throttled login answers 429 with Retry-After on the document itself. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction = () => [{ title: "Log in — Atlas9" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect("/projects");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await logIn(await request.formData(), {
    services: context.services,
    https: context.https,
    clientIp: context.clientIp,
    previous: request,
  });
  if (result.kind === "invalid") {
    return json(result.reply, { status: result.status, headers: result.headers });
  }
  return redirect(result.redirectTo, { headers: { "Set-Cookie": result.cookie } });
}

export default function LogIn() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="auth">
      <h1>Log in</h1>
      <p className="muted">
        New here? <Link to="/signup">Create an account</Link>
      </p>
      <Form method="post" noValidate className="card">
        <FormErrors errors={fieldErrors(result, "")} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field label="Email" name="email" errors={fieldErrors(result, "email")}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="email"
              required
              defaultValue={String(result?.initialValue?.email ?? "")}
            />
          )}
        </Field>
        <Field label="Password" name="password" errors={fieldErrors(result, "password")}>
          {(props) => <input {...props} type="password" autoComplete="current-password" required />}
        </Field>
        <button type="submit" aria-busy={busy || undefined}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </Form>
    </section>
  );
}
