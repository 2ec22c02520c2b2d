// Electron fuses for the packaged app (issue 14, finding 9), flipped in the Electron binary that
// electron-builder copied, from its afterPack hook (scripts/after-pack.mjs calls afterPack here).
// Each fuse and why it is set so is listed in SECURITY.md.
import { join } from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';

/** The fuses of Accent Migration Lab, as @electron/fuses takes them. */
export const LAB_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // Stays ON: the trace importer runs in a child process forked from the app's own binary with
  // ELECTRON_RUN_AS_NODE (src/node/trace/importerProcess.ts), which this fuse would disable.
  [FuseV1Options.RunAsNode]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  // No NODE_OPTIONS and no --inspect: nothing outside the app can load code into it.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app loads only from its app.asar, whose integrity is checked (macOS and Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Stays ON: the renderer is loaded from file:// and loads its module scripts from there.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
};

/** The Electron binary (or, on macOS, the .app) of a packaged app, from electron-builder's context. */
export function packagedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

/** electron-builder's afterPack: flip the fuses of the binary it just packed. */
export async function afterPack(context) {
  const binary = packagedBinary(context);
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  await flipFuses(binary, { ...LAB_FUSES, resetAdHocDarwinSignature: darwin && context.arch === 3 });
  console.log(`  • fuses flipped in ${binary}`);
}

export default afterPack;
