import { useId } from 'react';

/** A labelled input; `hint` is read with it by screen readers. */
export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': hintId })}
      {hint && (
        <small id={hintId} className="help">
          {hint}
        </small>
      )}
    </div>
  );
}

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  const text = error instanceof Error ? ('text' in error ? String((error as { text: unknown }).text) : error.message) : String(error);
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
