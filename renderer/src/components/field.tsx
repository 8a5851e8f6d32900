/**
 * One labelled form field with its hint and its own error: the error sits under the field it is
 * about, the field is marked aria-invalid and names the error in aria-describedby, so a screen
 * reader hears it on focus and a sighted user sees which field to fix (a banner naming only the
 * first bad field left the rest to guess).
 */
import type { ReactNode } from 'react';

/** What the input itself carries: its id and how it points at its hint and error. */
export interface FieldAria {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export function Field({ id, label, hint, error, children }: {
  id: string; label: string; hint?: ReactNode; error?: string | null; children: (aria: FieldAria) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described || undefined })}
      {hint && <span id={`${id}-hint`} className="hint">{hint}</span>}
      {error && <span id={`${id}-error`} className="field-error" data-testid={`${id}-error`}>{error}</span>}
    </div>
  );
}
