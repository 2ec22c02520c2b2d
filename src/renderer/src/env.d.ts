/// <reference types="vite/client" />

// A script (not a module) file: ambient declarations for the renderer.

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

interface Window {
  /** Present when running inside the Electron shell (exposed by the preload). */
  accentLab?: import('../../shared/hostApi').HostApi;
}
