// electron-builder's afterPack hook (electron-builder.json): runs once per platform after the app
// is copied into its package folder and before the installer is made. It is the hook point for
// hardening the packaged Electron binary: when scripts/fuses.mjs exists (the security part of
// the work, e.g. with @electron/fuses), its exported `afterPack(context)` (or default export)
// runs here with electron-builder's context (context.appOutDir, context.electronPlatformName, ...).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function afterPack(context, fusesFile = fileURLToPath(new URL('./fuses.mjs', import.meta.url))) {
  if (!existsSync(fusesFile)) {
    console.log('  • afterPack: no scripts/fuses.mjs, the Electron fuses stay as shipped');
    return false;
  }
  const fuses = await import(pathToFileURL(fusesFile).href);
  const run = fuses.afterPack ?? fuses.default;
  if (typeof run !== 'function') {
    throw new Error(`${fusesFile} must export afterPack(context) or a default function`);
  }
  await run(context);
  return true;
}
