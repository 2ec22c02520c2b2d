import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import {
  HOST_API_GLOBAL,
  HOST_EVENT_CHANNEL,
  ipcChannel,
  type HostApi,
  type HostEvent,
} from '../shared/hostApi';
import {
  DESKTOP_API_GLOBAL,
  DESKTOP_EVENT_CHANNEL,
  desktopChannel,
  type DesktopApi,
  type DesktopEvent,
} from '../shared/desktopApi';

// One named method per host call; the renderer never sees ipcRenderer itself, and there is no
// generic invoke. The main process checks the sender and validates every argument.
const api: HostApi = {
  version: () => ipcRenderer.invoke(ipcChannel('version')),
  catalog: () => ipcRenderer.invoke(ipcChannel('catalog')),
  startSweep: (design, options) => ipcRenderer.invoke(ipcChannel('startSweep'), design, options),
  cancelSweep: (sweepId) => ipcRenderer.invoke(ipcChannel('cancelSweep'), sweepId),
  estimateDesign: (design) => ipcRenderer.invoke(ipcChannel('estimateDesign'), design),
  writeClusterBundle: (request) => ipcRenderer.invoke(ipcChannel('writeClusterBundle'), request),
  retryTrial: (sweepId, trialId) => ipcRenderer.invoke(ipcChannel('retryTrial'), sweepId, trialId),
  newProject: () => ipcRenderer.invoke(ipcChannel('newProject')),
  openProject: (...args) => ipcRenderer.invoke(ipcChannel('openProject'), ...args),
  saveProject: (...args) => ipcRenderer.invoke(ipcChannel('saveProject'), ...args),
  recentProjects: () => ipcRenderer.invoke(ipcChannel('recentProjects')),
  recentNotebooks: () => ipcRenderer.invoke(ipcChannel('recentNotebooks')),
  projectsFolder: () => ipcRenderer.invoke(ipcChannel('projectsFolder')),
  builtinNotebooks: () => ipcRenderer.invoke(ipcChannel('builtinNotebooks')),
  openBuiltinNotebook: (id) => ipcRenderer.invoke(ipcChannel('openBuiltinNotebook'), id),
  importTrace: (request) => ipcRenderer.invoke(ipcChannel('importTrace'), request),
  cancelTraceImport: (importId) => ipcRenderer.invoke(ipcChannel('cancelTraceImport'), importId),
  traceWorkload: (request) => ipcRenderer.invoke(ipcChannel('traceWorkload'), request),
  writeRecovery: (...args) => ipcRenderer.invoke(ipcChannel('writeRecovery'), ...args),
  clearRecovery: (tab) => ipcRenderer.invoke(ipcChannel('clearRecovery'), tab),
  pendingRecovery: (tab) => ipcRenderer.invoke(ipcChannel('pendingRecovery'), tab),
  restoreRecovery: (tab) => ipcRenderer.invoke(ipcChannel('restoreRecovery'), tab),
  discardRecovery: (tab) => ipcRenderer.invoke(ipcChannel('discardRecovery'), tab),
  renderFigure: (request) => ipcRenderer.invoke(ipcChannel('renderFigure'), request),
  onEvent: (listener) => {
    // Hand the renderer the event only, never the IpcRendererEvent (it carries the sender).
    const wrapped = (_event: IpcRendererEvent, hostEvent: HostEvent): void => listener(hostEvent);
    ipcRenderer.on(HOST_EVENT_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(HOST_EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld(HOST_API_GLOBAL, api);

// The desktop conventions (close prompt, files the OS opens, edited state), named methods too.
const desktop: DesktopApi = {
  setDocumentState: (state) => ipcRenderer.invoke(desktopChannel('setDocumentState'), state),
  takeOpenFile: () => ipcRenderer.invoke(desktopChannel('takeOpenFile')),
  finishClose: (saved) => ipcRenderer.invoke(desktopChannel('finishClose'), saved),
  onEvent: (listener) => {
    const wrapped = (_event: IpcRendererEvent, desktopEvent: DesktopEvent): void => listener(desktopEvent);
    ipcRenderer.on(DESKTOP_EVENT_CHANNEL, wrapped);
    return () => void ipcRenderer.removeListener(DESKTOP_EVENT_CHANNEL, wrapped);
  },
};

contextBridge.exposeInMainWorld(DESKTOP_API_GLOBAL, desktop);
