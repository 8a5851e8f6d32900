import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of docs/architecture.md (an allow-list per layer, scripts/eslint-layers.mjs), checked with
// the project's real ESLint config. Paths need not exist: the rule matches specifiers textually.
const eslint = new ESLint({ cwd: `${__dirname}/../..` });

async function errors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  expect(r!.messages.filter((m) => m.fatal)).toEqual([]);
  return r!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('layer rule', () => {
  it.each([
    // Electron and its companions stay in main/shell (electron also in preload/index.ts).
    ['main/core/x.ts', "import { app } from 'electron';", "main/core may not import package 'electron'"],
    ['main/engine/x.ts', "import keytar from 'keytar';", "main/engine may not import package 'keytar'"],
    ['main/access/x.ts', "import { BrowserWindow } from 'electron';", "main/access may not import package 'electron'"],
    ['main/server/x.ts', "import Store from 'electron-store';", "main/server may not import package 'electron-store'"],
    ['main/cli/x.ts', "import { app } from 'electron';", "main/cli may not import package 'electron'"],
    ['preload/bridge.ts', "import { ipcRenderer } from 'electron';", "preload may not import package 'electron'"],
    ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';", "renderer may not import package 'electron'"],
    // Node builtins.
    ['main/core/x.ts', "import fs from 'node:fs';", "main/core may not import Node builtin 'node:fs'"],
    ['main/core/x.ts', "import fs from 'fs';", "main/core may not import Node builtin 'fs'"],
    ['renderer/src/x.tsx', "import fs from 'fs';", "renderer may not import Node builtin 'fs'"],
    ['renderer/src/x.tsx', "import { readFile } from 'node:fs';", "renderer may not import Node builtin 'node:fs'"],
    ['main/api/x.ts', "import http from 'node:http';", "main/api may not import Node builtin 'node:http'"],
    // Packages of other layers.
    ['main/hub/x.ts', "import Docker from 'dockerode';", "main/hub may not import package 'dockerode'"],
    // Folders.
    ['main/core/x.ts', "import { DockerEngine } from '../engine/docker/docker-engine';", 'main/core may not import main/engine/docker/docker-engine'],
    ['main/engine/docker/x.ts', "import { Hub } from '../../hub/hub';", 'main/engine may not import main/hub/hub'],
    ['main/hub/x.ts', "import { DockerEngine } from '../engine/docker/docker-engine';", 'main/hub may not import main/engine/docker/docker-engine'],
    ['main/hub/x.ts', "import { createEngine } from '../engine/create-engine';", 'main/hub may not import main/engine/create-engine'],
    ['main/client/x.ts', "import { HubServer } from '../server/hub-server';", 'main/client may not import main/server/hub-server'],
    ['main/server/x.ts', "import { DockerEngine } from '../engine/docker/docker-engine';", 'main/server may not import main/engine/docker/docker-engine'],
    ['main/api/x.ts', "import { Hub } from '../hub/hub';", 'main/api may not import main/hub/hub'],
    // The API is the floor under the hub (issue 21): not even its types, nor its stored rows.
    ['main/api/x.ts', "import type { Hub } from '../hub/hub';", 'main/api may not import main/hub/hub'],
    ['main/api/x.ts', "export type { GroupRecord } from '../hub/hub-state';", 'main/api may not import main/hub/hub-state'],
    ['main/api/x.ts', "export type V = import('../hub/user-service').UserView;", 'main/api may not import main/hub/user-service'],
    ['main/api/x.ts', "import { Hub } from '../server/hub-server';", 'main/api may not import main/server/hub-server'],
    ['main/api/x.ts', "import { randomToken } from '../core/tokens';", 'main/api may not import main/core/tokens'],
    ['renderer/src/x.tsx', "import { DockerEngine } from '../../main/engine/docker/docker-engine';", 'renderer may not import main/engine/docker/docker-engine'],
    ['renderer/src/x.tsx', "import { createApi } from '../../preload/bridge';", 'renderer may not import preload/bridge'],
    ['preload/x.ts', "import { DockerEngine } from '../main/engine/docker/docker-engine';", 'preload may not import main/engine/docker/docker-engine'],
    ['preload/x.ts', "import type { WorkspaceEngine } from '../main/engine/engine';", 'preload may not import main/engine/engine'],
    ['preload/x.ts', "import { App } from '../renderer/src/app';", 'preload may not import renderer/src/app'],
    // main/platform (local machine effects) sits under every effectful layer and the UI never reaches it.
    ['main/platform/x.ts', "import { Hub } from '../hub/hub';", 'main/platform may not import main/hub/hub'],
    ['main/engine/x.ts', "import { writePrivateFile } from '../platform/private-file';", 'main/engine may not import main/platform/private-file'],
    ['renderer/src/x.tsx', "import { writePrivateFile } from '../../main/platform/private-file';", 'renderer may not import main/platform/private-file'],
    // A folder with no row in the table may import nothing, not even core.
    ['main/connector/x.ts', "import { app } from 'electron';", 'main/connector is not a known layer; add it to LAYERS in scripts/eslint-layers.mjs'],
    ['main/connector/x.ts', "import { HubdeckError } from '../core/errors';", 'main/connector is not a known layer'],
    // Every way of importing is seen: re-exports, dynamic import(), require(), TS import types.
    ['main/core/x.ts', "export { Hub } from '../hub/hub';", 'main/core may not import main/hub/hub'],
    ['main/core/x.ts', "export * from '../hub/hub';", 'main/core may not import main/hub/hub'],
    ['main/core/x.ts', "export const load = () => import('../hub/hub');", 'main/core may not import main/hub/hub'],
    ['main/server/x.ts', 'export const load = () => import(`../engine/docker/docker-engine`);', 'main/server may not import main/engine/docker/docker-engine'],
    ['main/hub/x.ts', "export const load = () => import('dockerode');", "main/hub may not import package 'dockerode'"],
    ['main/core/x.ts', "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const fs = require('node:fs');", "main/core may not import Node builtin 'node:fs'"],
    ['main/core/x.ts', "export type H = import('../hub/hub').Hub;", 'main/core may not import main/hub/hub'],
    // Only `import type` is type-only: inline `type` specifiers keep the import under verbatimModuleSyntax.
    ['main/api/x.ts', "import { type Hub } from '../hub/hub';", 'main/api may not import main/hub/hub'],
  ])('%s may not: %s', async (file, code, message) => {
    const found = await errors(file, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^layer rule \(docs\/architecture\.md\): /);
    expect(found[0]).toContain(message);
  });

  it('says when only `import type` would be allowed', async () => {
    expect((await errors('main/api/x.ts', "import { hashToken } from '../core/tokens';"))[0]).toMatch(/only `import type` is allowed/);
    expect((await errors('main/api/x.ts', "import { Hub } from '../hub/hub';"))[0]).not.toMatch(/only `import type`/);
  });

  it.each([
    ['main/shell/x.ts', "import { app } from 'electron';"],
    ['main/shell/x.ts', "import keytar from 'keytar';"],
    ['main/shell/x.ts', "import { z } from 'zod';"],
    ['main/shell/x.ts', "import { createEngine } from '../engine/create-engine';"],
    ['main/shell/x.ts', "import type { HubdeckApi } from '../../preload/contract';"],
    ['preload/index.ts', "import { contextBridge } from 'electron';"],
    ['preload/bridge.ts', "import { newOpId } from '../main/api/client-builder';"],
    ['main/core/x.ts', "import { z } from 'zod';"],
    ['main/core/x.ts', "import { randomBytes } from 'node:crypto';"],
    ['main/core/x.ts', "import { HubdeckError } from './errors';"],
    ['main/engine/docker/x.ts', "import Docker from 'dockerode';"],
    ['main/engine/docker/x.ts', "import { parseMemory } from '../../core/sizes';"],
    ['main/hub/x.ts', "import type { WorkspaceEngine } from '../engine/engine';"],
    ['main/hub/x.ts', "import { waitReady } from '../engine/wait-ready';"],
    ['main/hub/x.ts', "import { ENDPOINTS } from '../api/endpoints';"],
    ['main/server/x.ts', "import { createEngine } from '../engine/create-engine';"],
    ['main/server/x.ts', "export const load = () => import('selfsigned');"],
    ['main/client/x.ts', "import { Hub } from '../hub/hub';"],
    ['main/cli/x.ts', "import { createEngine } from '../engine/create-engine';"],
    ['main/cli/x.ts', "import { Command } from 'commander';"],
    ['main/platform/x.ts', "import fs from 'node:fs';"],
    ['main/hub/x.ts', "import { writePrivateFile } from '../platform/private-file';"],
    ['main/access/x.ts', "import { writePrivateFile } from '../platform/private-file';"],
    ['main/client/x.ts', "import { createPrivateFile } from '../platform/private-file';"],
    ['main/api/x.ts', "import type { WorkspaceSpec } from '../core/workspace-spec';"],
    ['main/api/x.ts', "import { parseSize } from '../core/sizes';"],
    ['main/hub/x.ts', "import type { UserView } from '../api/dto';"],
    ['main/hub/x.ts', "import { inviteInput } from '../api/requests';"],
    ['main/api/x.ts', "export type { WorkspaceEngine } from '../engine/engine';"],
    ['main/api/x.ts', "import { HubdeckError } from '../core/errors';"],
    ['main/api/x.ts', "import { z } from 'zod';"],
    ['renderer/src/x.tsx', "import type { HubdeckApi } from '../../preload/contract';"],
    ['renderer/src/x.tsx', "import type { X } from '../../main/api/x';"],
    ['renderer/src/x.tsx', "import { ENDPOINTS } from '../../main/api/endpoints';"],
    ['renderer/src/x.tsx', "import { createRoot } from 'react-dom/client';"],
    ['renderer/src/x.tsx', "import { jsx } from 'react/jsx-runtime';"],
    ['renderer/src/x.tsx', "import { App } from './app';"],
    ['test/x.test.ts', "import { app } from 'electron';"],
    ['scripts/x.mjs', "import fs from 'node:fs';"],
    ['vitest.config.mts', "import { defineConfig } from 'vitest/config';"],
  ])('%s may: %s', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
