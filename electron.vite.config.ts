import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Three entries: the Electron main process (index.js), the web adapter for plain Node
      // (web.js, free of `electron`) and the EnginePool's worker thread (trialWorker.js).
      rolldownOptions: {
        input: {
          index: resolve(root, 'src/main/index.ts'),
          web: resolve(root, 'src/main/web/index.ts'),
          trialWorker: resolve(root, 'src/node/trialWorker.ts'),
          // Trace import's child process (src/node/trace/importerProcess.ts).
          traceImporter: resolve(root, 'src/node/trace/importer.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      lib: { entry: resolve(root, 'src/preload/index.ts') },
      // A sandboxed preload must be CommonJS. package.json has "type": "module", so without this
      // electron-vite would emit ESM (index.mjs); with it the file is out/preload/index.cjs.
      rolldownOptions: { output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Fonts (KaTeX's) stay files: the page's CSP allows fonts from 'self', not data: URLs.
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
      rolldownOptions: { input: resolve(root, 'src/renderer/index.html') },
    },
  },
});
