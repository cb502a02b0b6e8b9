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
