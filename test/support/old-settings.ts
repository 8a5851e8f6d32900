/**
 * Desktop settings files of earlier layouts, as the app wrote them, for the migration and store
 * tests: version 1 kept a hub's token in the file.
 */
export const OLD_TOKEN = 'hdk_0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

export const V1_SETTINGS = {
  version: 1,
  remoteHubs: [{ name: 'Team GPU', url: 'https://10.0.0.5:8585/', token: OLD_TOKEN, fingerprint: 'ab:'.repeat(31) + 'ab', user: 'bob', hubId: 'hub-team' }],
  preferences: { startAtLogin: true, darkMode: true },
  windowBounds: { x: 10.4, y: 20, width: 1000, height: 700 },
};
