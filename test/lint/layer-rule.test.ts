import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layering rule of DESIGN.md §2, checked with the project's real ESLint config.
const eslint = new ESLint({ cwd: `${__dirname}/../..` });

async function errors(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rule', () => {
  it.each([
    ['main/core/x.ts', "import { app } from 'electron';"],
    ['main/core/x.ts', "import fs from 'node:fs';"],
    ['main/core/x.ts', "import { DockerEngine } from '../engine/docker/docker-engine';"],
    ['main/engine/x.ts', "import keytar from 'keytar';"],
    ['main/engine/docker/x.ts', "import { Hub } from '../../hub/hub';"],
    ['main/hub/x.ts', "import Docker from 'dockerode';"],
    ['main/hub/x.ts', "import { DockerEngine } from '../engine/docker/docker-engine';"],
    ['main/access/x.ts', "import { BrowserWindow } from 'electron';"],
    ['main/server/x.ts', "import Store from 'electron-store';"],
    ['main/cli/x.ts', "import { app } from 'electron';"],
    ['renderer/src/x.tsx', "import fs from 'fs';"],
    ['renderer/src/x.tsx', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.tsx', "import { DockerEngine } from '../../main/engine/docker/docker-engine';"],
    ['preload/x.ts', "import { DockerEngine } from '../main/engine/docker/docker-engine';"],
  ])('%s may not: %s', async (file, code) => {
    const found = await errors(file, code);
    expect(found.length).toBe(1);
    expect(found[0]).toMatch(/layer rule/);
  });

  it.each([
    ['main/shell/x.ts', "import { app } from 'electron';"],
    ['preload/x.ts', "import { contextBridge } from 'electron';"],
    ['main/hub/x.ts', "import type { WorkspaceEngine } from '../engine/engine';"],
    ['main/engine/docker/x.ts', "import Docker from 'dockerode';"],
    ['renderer/src/x.tsx', "import type { HubdeckApi } from '../../preload/contract';"],
    ['main/core/x.ts', "import { z } from 'zod';"],
  ])('%s may: %s', async (file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
