import { contextBridge, ipcRenderer } from 'electron';
import { HOST_API_GLOBAL, IpcChannel, type HostApi } from '../shared/hostApi';

// One named method per host call; the renderer never sees ipcRenderer itself.
const api: HostApi = {
  version: () => ipcRenderer.invoke(IpcChannel.version) as Promise<string>,
};

contextBridge.exposeInMainWorld(HOST_API_GLOBAL, api);
