import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOwnRendererUrl, rendererLocation } from '../../../src/main/electron/rendererLocation';

const mainDir = join('/opt/accent-lab/out/main');

describe('rendererLocation', () => {
  it('points at the built renderer next to out/main', () => {
    const loc = rendererLocation(mainDir, undefined);
    expect(loc.devServerUrl).toBeNull();
    expect(loc.indexHtmlPath).toBe(join('/opt/accent-lab/out/renderer/index.html'));
    expect(rendererLocation(mainDir, '').devServerUrl).toBeNull();
  });
});

describe('isOwnRendererUrl', () => {
  const built = rendererLocation(mainDir, undefined);
  const dev = rendererLocation(mainDir, 'http://localhost:5173');
  const ownFile = pathToFileURL(built.indexHtmlPath).href;

  it('accepts the built renderer page, with or without a hash or query', () => {
    expect(isOwnRendererUrl(ownFile, built)).toBe(true);
    expect(isOwnRendererUrl(`${ownFile}#/experiments`, built)).toBe(true);
    expect(isOwnRendererUrl(`${ownFile}?x=1`, built)).toBe(true);
  });

  it('rejects other files, remote pages and missing frames', () => {
    expect(isOwnRendererUrl('file:///etc/passwd', built)).toBe(false);
    expect(isOwnRendererUrl('https://example.com/', built)).toBe(false);
    expect(isOwnRendererUrl('http://localhost:5173/', built)).toBe(false);
    expect(isOwnRendererUrl(undefined, built)).toBe(false);
    expect(isOwnRendererUrl('', built)).toBe(false);
    expect(isOwnRendererUrl('not a url', built)).toBe(false);
  });

  it('rejects our page on another host (a network share: file://host/…)', () => {
    const elsewhere = ownFile.replace('file:///', 'file://attacker.example/');
    expect(elsewhere).not.toBe(ownFile);
    expect(isOwnRendererUrl(elsewhere, built)).toBe(false);
    expect(isOwnRendererUrl(ownFile.replace('file:///', 'file://localhost./'), built)).toBe(false);
  });

  it('in dev, accepts only the dev server origin', () => {
    expect(isOwnRendererUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5173/src/App.vue', dev)).toBe(true);
    expect(isOwnRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isOwnRendererUrl(ownFile, dev)).toBe(false);
  });
});
