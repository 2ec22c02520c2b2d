import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
// @ts-expect-error -- a plain ES module script (scripts/), without type declarations
import { afterPack } from '../../scripts/fuses.mjs';

// The fuse wire as Electron builds it into its binary: a sentinel, the wire version, its length,
// then one byte per fuse ('0' off, '1' on). A stand-in binary holds Electron 45's defaults.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULTS = '11100001';
/** A fuse that is on ('1'). */
const ENABLED = 0x31;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-fuses-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Electron fuses of the packaged app (scripts/fuses.mjs, electron-builder afterPack)', () => {
  it('turns off NODE_OPTIONS, --inspect and loading outside app.asar; keeps RunAsNode for the trace importer', async () => {
    const binary = join(dir, 'accent-migration-lab');
    const wire = Buffer.concat([
      Buffer.from('ELF…'),
      Buffer.from(SENTINEL),
      Buffer.from([1, DEFAULTS.length]),
      Buffer.from(DEFAULTS),
      Buffer.from('…rest of the binary'),
    ]);
    await writeFile(binary, wire);
    await afterPack({
      appOutDir: dir,
      electronPlatformName: 'linux',
      arch: 1,
      packager: {
        appInfo: { productFilename: 'Accent Migration Lab' },
        executableName: 'accent-migration-lab',
      },
    });
    const fuses = await getCurrentFuseWire(binary);
    const on = (option: FuseV1Options): boolean => fuses[option] === ENABLED;
    expect(on(FuseV1Options.RunAsNode)).toBe(true);
    expect(on(FuseV1Options.EnableCookieEncryption)).toBe(true);
    expect(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(false);
    expect(on(FuseV1Options.EnableNodeCliInspectArguments)).toBe(false);
    expect(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(true);
    expect(on(FuseV1Options.OnlyLoadAppFromAsar)).toBe(true);
    expect(on(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(false);
    expect(on(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(true);
  });

  it('fails the packaging when the binary has no fuse wire (never ships unfused)', async () => {
    await writeFile(join(dir, 'no-wire'), 'not electron');
    await expect(
      afterPack({
        appOutDir: dir,
        electronPlatformName: 'linux',
        arch: 1,
        packager: { appInfo: { productFilename: 'x' }, executableName: 'no-wire' },
      }),
    ).rejects.toThrow(/Could not find sentinel/);
  });
});
