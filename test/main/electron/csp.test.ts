import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaCsp, RENDERER_CSP, startWebServer } from '../../../src/main/web/server';
import type { WebServer } from '../../../src/main/web/server';
import type { HostApi } from '../../../src/shared/hostApi';

// The renderer's CSP, as the desktop window (its meta tag) and the web adapter (its header) see it.
const INDEX_HTML = join(import.meta.dirname, '../../../src/renderer/index.html');

function directives(policy: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function expectStrictPolicy(policy: string): void {
  const d = directives(policy);
  expect(d.get('default-src'), 'default-src').toEqual(["'self'"]);
  const scripts = d.get('script-src');
  expect(scripts, 'script-src').toBeDefined();
  expect(scripts).toContain("'self'");
  for (const loose of [
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
    '*',
    'data:',
  ]) {
    expect(scripts, `script-src must not allow ${loose}`).not.toContain(loose);
  }
  if (d.has('object-src')) expect(d.get('object-src')).toEqual(["'none'"]);
  if (d.has('base-uri')) expect(["'none'", "'self'"]).toContain(d.get('base-uri')?.join(' '));
  // No inline styles (Vue's :style bindings and Chart.js set styles through the CSSOM, which CSP
  // allows), and no form posts anywhere.
  expect(d.get('style-src'), 'style-src').toEqual(["'self'"]);
  expect(d.get('form-action'), 'form-action').toEqual(["'none'"]);
}

let dir: string;
let server: WebServer;
const metaPolicy = metaCsp(readFileSync(INDEX_HTML, 'utf8'));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-csp-'));
  await copyFile(INDEX_HTML, join(dir, 'index.html'));
  const services = { onEvent: () => () => undefined } as unknown as HostApi;
  server = await startWebServer({ services, staticDir: dir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function headerCsp(): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    // The page as a browser gets it after the first visit: with the session cookie.
    const headers = { Cookie: `accentLabToken-${server.port}=${server.token}` };
    const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers }, (res) => {
      res.resume();
      const value = res.headers['content-security-policy'];
      resolve(Array.isArray(value) ? value.join(', ') : value);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the renderer’s Content-Security-Policy', () => {
  it('is in src/renderer/index.html and is strict', () => {
    expect(metaPolicy).not.toBeNull();
    expectStrictPolicy(metaPolicy ?? '');
  });

  it('is sent by the web adapter as a header, identical to the page’s meta', async () => {
    const header = await headerCsp();
    expect(header).toBe(metaPolicy);
    expectStrictPolicy(header ?? '');
  });

  it('has a fallback header policy (for a page without a meta) that is as strict as the meta', () => {
    expectStrictPolicy(RENDERER_CSP);
    expect(RENDERER_CSP).toBe(metaPolicy);
  });
});
