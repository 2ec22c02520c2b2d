import { startElectronApp } from './electron/app';

// Entry of the Electron main process. Everything that touches `electron` lives in ./electron;
// this file stays free of it so the lint boundary holds. Bundled to out/main/index.js (ESM).
startElectronApp(import.meta.dirname);
