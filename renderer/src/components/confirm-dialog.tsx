/**
 * A modal question on the native <dialog> (focus kept inside, Escape cancels, no library). A refusal
 * of the action shows inside the dialog, where the person is looking: a modal hides the page
 * behind it, so an error there went unseen while the dialog sat waiting.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmDialog({ title, children, confirmLabel, danger, busy, error, onConfirm, onCancel }: {
  title: string; children?: ReactNode; confirmLabel: string; danger?: boolean; busy?: boolean; error?: string | null; onConfirm: () => void; onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <form method="dialog" onSubmit={(e) => { e.preventDefault(); onConfirm(); }}>
        <h2 id="confirm-title">{title}</h2>
        {children}
        {error && <p role="alert" className="alert" data-testid="dialog-error">{error}</p>}
        <div className="row">
          <button type="submit" className={danger ? 'danger solid' : 'primary'} disabled={busy}>{confirmLabel}</button>
          <button type="button" onClick={onCancel} autoFocus>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
