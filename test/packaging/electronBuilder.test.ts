import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { NOTEBOOK_EXTENSION } from '../../src/shared/notebook/format';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as Record<
  string,
  unknown
>;
// electron-builder's own JSON schema of its configuration, as app-builder-lib ships it.
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('the electron-builder configuration', () => {
  it('is valid against electron-builder’s schema', () => {
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would catch a mistake (the schema check is not vacuous)', () => {
    expect(validate({ ...config, fileAssociation: config['fileAssociations'] })).toBe(false);
    expect(validate({ ...config, linux: { target: 'AppImage', category: 7 } })).toBe(false);
  });

  it('makes an AppImage and a deb, a dmg and an NSIS installer', () => {
    const targets = (key: string): unknown => (config[key] as { target: unknown }).target;
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(targets('win')).toEqual(['nsis']);
  });

  it('associates .accentlab files with the app', () => {
    const [association] = config['fileAssociations'] as { ext: string; role: string }[];
    expect(`.${association!.ext}`).toBe(NOTEBOOK_EXTENSION);
    expect(association!.role).toBe('Editor');
  });

  it('has an icon of at least 512×512 pixels (electron-builder makes .icns and .ico from it)', () => {
    const icon = readFileSync(join(root, config['icon'] as string));
    expect(icon.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(icon.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });

  it('packs the built app and the built-in notebooks the host opens', () => {
    expect(config['files']).toEqual(expect.arrayContaining(['out/**/*', 'resources/notebooks/**/*']));
    // The build-resources folder is left out of the app by electron-builder: it must not hold them.
    expect((config['directories'] as { buildResources: string }).buildResources).not.toBe('resources');
  });

  it('has an afterPack hook that runs scripts/fuses.mjs when there is one', async () => {
    const file = join(root, config['afterPack'] as string);
    expect(existsSync(file)).toBe(true);
    const hook = (await import(pathToFileURL(file).href)) as {
      afterPack: (context: unknown, fusesFile?: string) => Promise<boolean>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'after-pack-'));
    try {
      expect(await hook.afterPack({}, join(dir, 'fuses.mjs'))).toBe(false);
      writeFileSync(
        join(dir, 'fuses.mjs'),
        'export async function afterPack(context) { context.flipped = context.appOutDir; }\n',
      );
      const context: Record<string, unknown> = { appOutDir: '/tmp/linux-unpacked' };
      expect(await hook.afterPack(context, join(dir, 'fuses.mjs'))).toBe(true);
      expect(context['flipped']).toBe('/tmp/linux-unpacked');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
