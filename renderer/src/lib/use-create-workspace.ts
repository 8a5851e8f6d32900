/**
 * A create request with its progress, for both New-workspace forms: one operation id per attempt,
 * progress from the call and from hub events tagged with that id (whichever the hub sends; the bar
 * never goes back, so both are fine), the hub's error with the field it names, and the workspace's
 * page once it is there.
 */
import { useRef, useState } from 'react';
import type { ProgressEvent } from '../../../main/api/dto';
import type { CreateWorkspaceBody } from '../../../main/api/operations';
import { newOpId } from '../../../main/api/client-builder';
import { useHub, useHubEvents } from './hub-context';
import { overallPercent } from './progress';
import { navigate } from './router';

export interface CreateState {
  busy: boolean;
  progress: ProgressEvent | null;
  percent: number;
  error: { message: string; field?: string } | null;
  setError(e: { message: string; field?: string } | null): void;
  create(body: CreateWorkspaceBody): Promise<void>;
}

export function useCreateWorkspace(): CreateState {
  const { client } = useHub();
  const [progress, setProgress] = useState<ProgressEvent | null>(null);
  const [percent, setPercent] = useState(0);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const opId = useRef<string | null>(null);

  const onProgress = (p: ProgressEvent) => {
    setProgress(p);
    setPercent((prev) => overallPercent(p, prev));
  };
  useHubEvents((e) => { if (e.type === 'workspace.progress' && opId.current && e.opId === opId.current) onProgress(e.progress); });

  const create = async (body: CreateWorkspaceBody) => {
    const id = newOpId();
    opId.current = id;
    setProgress(null);
    setPercent(0);
    setError(null);
    setBusy(true);
    try {
      const w = await client.createWorkspace({ body, wait: true, opId: id }, { onProgress });
      navigate({ page: 'detail', user: w.user, name: w.name });
    } catch (e) {
      const err = e as Error & { field?: string };
      setError({ message: err.message, field: err.field });
      setBusy(false);
    }
  };
  return { busy, progress, percent, error, setError, create };
}
