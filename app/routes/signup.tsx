import { startKeptDirective } from "../projects/projects.server.ts";
import type {
  ActionFunctionArgs,
  HeadersFunction,
  LoaderFunctionArgs,
} from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/server-runtime";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, fieldErrors, FormErrors } from "../components/form.tsx";
import { getUser } from "../http/auth.server.ts";
import { signUp } from "../auth/accounts.server.ts";

/** A throttled sign-up answers 429 with Retry-After on the document itself. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction = () => [{ title: "Sign up — Atlas9" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  if (await getUser(request, context)) throw redirect("/projects");
  const directive = new URL(request.url).searchParams.get("directive")?.slice(0, 400) ?? "";
  return json({ directive });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const result = await signUp(await request.formData(), {
    services: context.services,
    https: context.https,
    clientIp: context.clientIp,
  });
  if (result.kind === "invalid") {
    return json(result.reply, { status: result.status, headers: result.headers });
  }
  const to = await startKeptDirective(result.userId, result.directive, context.services);
  return redirect(to, { headers: { "Set-Cookie": result.cookie } });
}

export default function SignUp() {
  const { directive } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <section className="auth">
      <h1>Create your account</h1>
      <p className="muted">
        Already have one? <Link to="/login">Log in</Link>
      </p>
      <Form method="post" noValidate className="card">
        <FormErrors errors={fieldErrors(result, "")} />
        <input type="hidden" name="directive" value={directive} />
        <Field label="Email" name="email" errors={fieldErrors(result, "email")}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="email"
              required
              maxLength={254}
              defaultValue={String(result?.initialValue?.email ?? "")}
            />
          )}
        </Field>
        <Field
          label="Password"
          name="password"
          errors={fieldErrors(result, "password")}
          hint="8 to 128 characters. Very common passwords are refused."
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              maxLength={128}
            />
          )}
        </Field>
        <button type="submit" aria-busy={busy || undefined}>
          {busy ? "Creating account…" : "Sign up"}
        </button>
        {directive ? <p className="hint">Your directive is kept: “{directive}”.</p> : null}
      </Form>
    </section>
  );
}
