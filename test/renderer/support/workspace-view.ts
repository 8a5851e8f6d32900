// A WorkspaceView with every field filled in, for the renderer's pure-logic tests to override.
import type { WorkspaceView } from '../../../main/api/dto';

export const workspaceView = (over: Partial<WorkspaceView>): WorkspaceView => ({
  id: 'x', origin: 'o', user: 'alice', name: 'w', state: 'running', status: '', spec: null, specIssue: null, limits: null,
  image: 'img', createdAt: '2026-01-01T00:00:00Z', startedAt: null, expiresAt: null, baseUrl: '/', network: null, volume: null, node: null, orphaned: false, url: null,
  ...over,
});
export const at = '2026-01-01T00:00:00Z';
