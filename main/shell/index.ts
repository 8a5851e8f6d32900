/**
 * Electron entry: hands the real Electron, the local hub (in this process, on the local Docker
 * engine), the settings file and the keychain to the wiring in shell-app.ts. Nothing here decides
 * anything; the decisions live in pure modules beside it, tested without Electron.
 */
import os from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { userNameFromOsUser } from '../core/names';
import { localDataDir } from '../server/local-data-dir';
import { openLocalHub } from '../server/local-hub';
import { remoteHubClient } from '../client/remote-hub-client';
import { startLocalAccess } from '../server/local-access';
import { electronSettings } from './electron-settings';
import { KeytarSecretStore } from './keytar-secret-store';
import { SettingsStore } from './settings-store';
import { startShell } from './shell-app';

const user = process.env.HUBDECK_USER ?? userNameFromOsUser(os.userInfo().username) ?? 'me';
const log = (m: string) => console.error(`hubdeck: ${m}`);

void startShell({
  electron,
  user,
  dataDir: localDataDir(process.env),
  platform: process.platform,
  argv: process.argv,
  log,
  paths: {
    preload: path.join(__dirname, '../preload/index.js'),
    rendererUrl: process.env.ELECTRON_RENDERER_URL ?? `file://${path.join(__dirname, '../renderer/index.html')}`,
    assets: path.join(__dirname, '../../assets'),
  },
  openLocalHub: () => openLocalHub({ admin: user, env: process.env }),
  startLocalAccess: (local) => startLocalAccess(local.hub, { log }),
  openSettings: async () => SettingsStore.open(await electronSettings(), new KeytarSecretStore(), log),
  remoteClient: remoteHubClient,
}).catch((e: unknown) => {
  log(`the app could not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  electron.app.exit(1);
});
