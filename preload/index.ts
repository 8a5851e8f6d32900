/**
 * The sandboxed preload: exposes exactly the contract's API on window.hubdeck (the hub operations)
 * and window.hubdeckDesktop (what only the desktop app can do), nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './bridge';
import { createDesktopApi } from './desktop-bridge';

contextBridge.exposeInMainWorld('hubdeck', createApi(ipcRenderer));
contextBridge.exposeInMainWorld('hubdeckDesktop', createDesktopApi(ipcRenderer));
