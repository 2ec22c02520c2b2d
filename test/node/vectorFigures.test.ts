import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import { renderFigure, renderFigurePdf, renderFigureSvg } from '../../src/node/figureRenderer';
import { figureData } from '../../src/shared/figures/charts';
import { smallDesign } from '../helpers/designs';

// Vector exports: the same chart.js configuration as the PNG, drawn on Skia's SVG canvas and PDF
// document (@napi-rs/canvas).
const results = expandDesign(smallDesign({ strategies: ['pure-copy', 'pure-iou'] })).map((spec) =>
  runTrial(spec),
);
const data = figureData({ kind: 'end-to-end' }, results);
const size = { width: 640, height: 360, scale: 1 };

/** The text of every <text> element, entities decoded. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) =>
    match[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

describe('vector figures', () => {
  it('SVG: text stays text (title, subtitle, axis titles, legend), the size as asked, no raster', () => {
    const svg = renderFigureSvg(data, size);
    expect(svg).toMatch(/<svg [^>]*width="640" height="360"/);
    const texts = svgTexts(svg);
    // Drawn once: no element twice.
    expect(texts.filter((text) => text === data.title)).toHaveLength(1);
    expect(texts).toContain(data.subtitle);
    expect(texts).toContain(data.xLabel);
    // Skia writes an axis title word by word, each word a <text> (in order).
    const words = texts.filter((text) => text.length > 0).join(' ');
    expect(words).toContain(data.yLabel);
    for (const series of data.bars) expect(texts).toContain(series.label);
    expect(texts).toContain('Minprog');
    // Bars and grid lines are paths, not a picture of them.
    expect(svg).not.toMatch(/<image\b/);
    expect((svg.match(/<path\b/g) ?? []).length).toBeGreaterThan(10);
    // A viewer without DejaVu Sans falls back through the app's font list.
    expect(svg).toMatch(/font-family="'DejaVu Sans', 'DejaVu Sans', 'Liberation Sans', Arial/);
  });

  it('SVG escapes what a title holds', () => {
    const svg = renderFigureSvg({ ...data, title: 'Perq <1 Gb/s> & "more"' }, size);
    expect(svgTexts(svg)).toContain('Perq <1 Gb/s> & "more"');
    expect(svg).not.toContain('<1 Gb/s>');
  });

  it('PDF: a valid one-page document of width x height points, fonts embedded, titled', async () => {
    const pdf = renderFigurePdf(data, size);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    const document = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(document.getPageCount()).toBe(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 640, height: 360 });
    expect(document.getTitle()).toBe(data.title);
    // Text drawn as text with its font embedded, not as a picture.
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2/);
    expect(pdf.toString('latin1')).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it('the same drawing in all three formats; a bad size is refused in each', () => {
    const png = renderFigure(data, size, 'png');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Not cleared before it was taken: a drawn chart compresses to well over a few kilobytes.
    expect(png.length).toBeGreaterThan(8_000);
    // Skia numbers clip paths on from one drawing to the next; the rest is the same.
    const unnumbered = (svg: string) => svg.replace(/cl_[0-9a-f]+/g, 'cl');
    expect(unnumbered(renderFigure(data, size, 'svg').toString('utf8'))).toBe(
      unnumbered(renderFigureSvg(data, size)),
    );
    for (const format of ['png', 'svg', 'pdf'] as const) {
      expect(() => renderFigure(data, { width: 10, height: 360, scale: 1 }, format)).toThrow(
        /width must be a whole number of pixels from 50 to 8000/,
      );
    }
  });
});
