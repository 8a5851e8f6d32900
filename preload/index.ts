/** The sandboxed preload: exposes exactly the contract's API on window.hubdeck, nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './bridge';

contextBridge.exposeInMainWorld('hubdeck', createApi(ipcRenderer));
