import type { ReactNode } from "react";

/** Field and form errors as returned by Conform's `submission.reply()`. */
export interface FormResult {
  error?: Record<string, string[] | null> | null;
  initialValue?: Record<string, unknown> | null;
}

/** The errors of one field (`""` is the form-level key). */
export function fieldErrors(result: FormResult | undefined, name: string): string[] {
  return result?.error?.[name] ?? [];
}

/** A labelled input with its error list wired through aria-describedby. */
export function Field(
  { label, name, errors, hint, children }: {
    label: string;
    name: string;
    errors: string[];
    hint?: ReactNode;
    children: (props: {
      id: string;
      name: string;
      "aria-invalid": boolean | undefined;
      "aria-describedby": string | undefined;
    }) => ReactNode;
  },
) {
  const id = `field-${name}`;
  const described = [hint ? `${id}-hint` : "", errors.length ? `${id}-error` : ""].filter(Boolean)
    .join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        "aria-invalid": errors.length ? true : undefined,
        "aria-describedby": described,
      })}
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {errors.length
        ? (
          <p className="field-error" id={`${id}-error`}>
            {errors.join(" ")}
          </p>
        )
        : null}
    </div>
  );
}

/** Form-level errors (e.g. "Email or password is incorrect."). */
export function FormErrors({ errors }: { errors: string[] }) {
  if (!errors.length) return null;
  return <p className="form-error" role="alert">{errors.join(" ")}</p>;
}

/**
 * The directive field of a new-project form (`POST /projects`), with its error and hint: the
 * same markup on `/` and when `/projects` re-shows a refused directive.
 */
export function DirectiveField(
  { defaultValue, error, placeholder, hint }: {
    defaultValue?: string;
    error?: string | null;
    placeholder?: string;
    hint?: ReactNode;
  },
) {
  const described = [error ? "directive-error" : "", hint ? "directive-hint" : ""]
    .filter(Boolean).join(" ") || undefined;
  return (
    <>
      <label htmlFor="directive">Your product, in one sentence</label>
      <textarea
        id="directive"
        name="directive"
        required
        minLength={3}
        maxLength={400}
        defaultValue={defaultValue}
        placeholder={placeholder}
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
      />
      {error ? <p className="field-error" id="directive-error" role="alert">{error}</p> : null}
      {hint ? <p className="hint" id="directive-hint">{hint}</p> : null}
    </>
  );
}
