import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import { callHost, createHostServices } from '../../src/main/hostServices';
import type { HostServices } from '../../src/main/hostServices';
import { figureData } from '../../src/shared/figures/charts';
import type { RenderedFigure } from '../../src/shared/hostApi';
import { smallDesign } from '../helpers/designs';

// The app's vector exports: the renderer sends a figure, the host draws it as accent-lab figures does.
let dir: string;
let services: HostServices;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-render-'));
  // No sweep runs here: an empty worker file is enough (workers start only for a sweep).
  await writeFile(join(dir, 'idle-worker.mjs'), '');
  services = createHostServices({ workerFile: join(dir, 'idle-worker.mjs'), settingsDir: dir, workers: 1 });
});

afterAll(async () => {
  await services?.close();
  await rm(dir, { recursive: true, force: true });
});

const figure = figureData(
  { kind: 'bytes' },
  expandDesign(smallDesign()).map((spec) => runTrial(spec)),
);
// As it crosses the bridge: JSON (undefined keys dropped).
const sent = JSON.parse(JSON.stringify(figure)) as unknown;

describe('renderFigure through the validated host call', () => {
  it('draws SVG with the title as text, and a one-page PDF of the size asked for', async () => {
    const svg = (await callHost(services, 'renderFigure', [
      { figure: sent, format: 'svg', width: 600, height: 400, scale: 1 },
    ])) as RenderedFigure;
    expect(svg.format).toBe('svg');
    expect(Buffer.from(svg.base64, 'base64').toString('utf8')).toMatch(
      /<text\b[^>]*>Bytes transferred<\/text>/,
    );
    const pdf = (await callHost(services, 'renderFigure', [
      { figure: sent, format: 'pdf', width: 600, height: 400, scale: 1 },
    ])) as RenderedFigure;
    const document = await PDFDocument.load(Buffer.from(pdf.base64, 'base64'));
    expect(document.getPageCount()).toBe(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 600, height: 400 });
  });

  it('refuses a malformed figure, an unknown format and a size out of range, naming the field', async () => {
    const request = (overrides: Record<string, unknown>) => [
      { figure: sent, format: 'svg', width: 600, height: 400, scale: 1, ...overrides },
    ];
    await expect(callHost(services, 'renderFigure', request({ format: 'eps' }))).rejects.toThrow(
      /renderFigure: request\.format: must be one of png, svg, pdf/,
    );
    await expect(
      callHost(services, 'renderFigure', request({ figure: { ...(sent as object), bars: 'x' } })),
    ).rejects.toThrow(/renderFigure: request\.figure\.bars/);
    await expect(
      callHost(services, 'renderFigure', request({ figure: { ...(sent as object), script: 1 } })),
    ).rejects.toThrow(/renderFigure: request\.figure/);
    await expect(callHost(services, 'renderFigure', request({ width: 9000 }))).rejects.toThrow(
      /the figure width must be a whole number of pixels from 50 to 8000/,
    );
  });
});
