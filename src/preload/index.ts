import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import {
  HOST_API_GLOBAL,
  HOST_EVENT_CHANNEL,
  forwardingMethods,
  hostCallsFromArgv,
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

// One named method per host call (declared in shared/hostCalls.ts; the main process passes the
// names as an argument of this renderer, see hostCallsArgument); the renderer never sees
// ipcRenderer itself, and there is no generic invoke. The main process checks the sender and
// validates every argument.
const api: HostApi = {
  ...forwardingMethods(hostCallsFromArgv(process.argv), (call, args) =>
    ipcRenderer.invoke(ipcChannel(call), ...args),
  ),
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
