/**
 * The frame both New-workspace forms share: the hub's refusal, the create's progress while it runs,
 * the form (disabled while busy) and its Create and Cancel buttons. The fields are the caller's.
 */
import type { ReactNode } from 'react';
import type { CreateState } from '../lib/use-create-workspace';
import { navigate } from '../lib/router';
import { ProgressView } from './progress-view';

/** `blocked`: the user may not create one now (no workspace left of their quota), said above the form. */
export function CreateForm({ state, onSubmit, blocked, children }: { state: CreateState; onSubmit: () => void; blocked?: boolean; children: ReactNode }) {
  const { error, busy, progress, percent } = state;
  return (
    <>
      {error && <p role="alert" className="alert" data-testid="create-error">{error.message}</p>}
      {busy && <ProgressView progress={progress} percent={percent} />}
      <form className="panel" onSubmit={(e) => { e.preventDefault(); onSubmit(); }} aria-busy={busy}>
        {children}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || blocked}>Create</button>
          <button type="button" onClick={() => navigate({ page: 'workspaces' })} disabled={busy}>Cancel</button>
        </div>
      </form>
    </>
  );
}
