import { describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { runTrial } from '../../src/engine/experiment/trial';
import { renderFigureSvg } from '../../src/node/figureRenderer';
import { nodeMarkdownRenderer } from '../../src/node/markdown';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { inlineSvg, notebookReport, REPORT_CSP } from '../../src/shared/report/report';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';

/** A notebook with a note that tries to reach out, an experiment with results and a figure entry. */
function notebook(): NotebookDocument {
  const notebook = sampleNotebook();
  notebook.name = 'Perq & friends <draft>';
  const experiment = sampleExperiment(notebook);
  experiment.results = expandDesign(experiment.design).map((spec) => runTrial(spec));
  notebook.entries[0] = {
    kind: 'note',
    id: 'note-1',
    markdown: [
      '# Findings',
      '',
      'See [the paper](https://example.org/zayas.pdf) and <https://example.org/bare>, [below](#experiment-1).',
      '',
      '![a plot](http://example.org/plot.png) ![inline](data:image/png;base64,iVBORw0KGgo=)',
      '',
      '| strategy | bytes |',
      '| --- | ---: |',
      '| pure-iou | 21 KB |',
      '',
      '<script>alert(1)</script><img src="https://example.org/x.png" onerror="alert(2)">',
    ].join('\n'),
  };
  notebook.entries.push({
    kind: 'figure',
    id: 'figure-1',
    experimentId: experiment.id,
    figure: { kind: 'end-to-end', title: 'End-to-end on the Perq' },
    caption: 'Pure-IOU against pure-copy.',
  });
  return notebook;
}

const report = (doc: NotebookDocument): Promise<string> =>
  notebookReport(doc, {
    renderNote: nodeMarkdownRenderer({ offline: true }),
    drawFigure: async (data) => renderFigureSvg(data, { width: 640, height: 360, scale: 1 }),
    generator: 'Accent Migration Lab test',
  });

describe('the notebook report', () => {
  it('is one HTML file that loads nothing: no script, no external src or href, a CSP that forbids it', async () => {
    const html = await report(notebook());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\bon\w+\s*=/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|url\(\s*["']?https?:/i);
    // The external image and links are written out as text; the data: image and the fragment stay.
    expect(html).toContain('[image: a plot (http://example.org/plot.png)]');
    expect(html).toContain('the paper (https://example.org/zayas.pdf)');
    expect(html).toContain('https://example.org/bare');
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline">');
    expect(html).toContain('<a href="#experiment-1">below</a>');
  });

  it('holds the notes rendered, the tables, and every figure as inline SVG with its text as text', async () => {
    const html = await report(notebook());
    expect(html).toContain('<title>Perq &amp; friends &lt;draft&gt;</title>');
    expect(html).toContain('<h1>Findings</h1>');
    // The note's GFM table, as the app renders it.
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>strategy<\/th>\s*<th align="right">bytes<\/th>/);
    // The experiment: its design, summary and trials.
    expect(html).toContain('<h2>small</h2>');
    expect(html).toMatch(/3 trials; workloads Minprog; strategies pure-copy, pure-iou, prefetch 0, 1/);
    expect(html).toContain('small: summary: mean and half-width of the 95% confidence interval');
    expect(html).toContain('<summary>All 3 trials</summary>');
    // The figure entry with its caption; no default figures for an experiment that has one.
    expect(html).toMatch(/<svg [^>]*role="img" aria-label="End-to-end on the Perq">/);
    expect(html).toMatch(/<text\b[^>]*>End-to-end on the Perq<\/text>/);
    expect(html).toContain('<figcaption>Pure-IOU against pure-copy.</figcaption>');
    expect((html.match(/<svg /g) ?? []).length).toBe(1);
  });

  it('an experiment without a figure entry gets the three comparisons, their clip ids kept apart', async () => {
    const doc = notebook();
    doc.entries.pop();
    const html = await report(doc);
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    const ids = [...html.matchAll(/<clipPath id="([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const use of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(use[1]);
  });

  it('typesets math in notes as MathML, with no style sheet or font to load', async () => {
    const doc = sampleNotebook();
    doc.entries = [
      {
        kind: 'note',
        id: 'math',
        markdown:
          'The mean is $\\bar{t} = \\frac{1}{n}\\sum_i t_i$; it costs $5 and $6.\n\n$$t_{\\mathrm{end}} \\le 115\\,\\mathrm{ms} < 1$$\n',
      },
    ];
    const html = await report(doc);
    const note = /<section class="note" id="math">([\s\S]*?)<\/section>/.exec(html)![1]!;
    expect(note.match(/<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"/g)).toHaveLength(2);
    expect(note).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">');
    expect(note).toContain(
      '<annotation encoding="application/x-tex">\\bar{t} = \\frac{1}{n}\\sum_i t_i</annotation>',
    );
    // The TeX's "<" survived the sanitizer's round trip, as an operator.
    expect(note).toContain('<mo>&lt;</mo>');
    // Prices stay text; nothing of KaTeX's HTML layout (which needs its style sheet and fonts).
    expect(note).toContain('it costs $5 and $6.');
    expect(note).not.toMatch(/katex-html|data-tex|data-katex-style|style=/);
    // The app's own rendering of the same note: KaTeX's HTML with its styles kept for the CSSOM.
    const page = nodeMarkdownRenderer()('$x^2$');
    expect(page).toContain('class="katex-html"');
    expect(page).toContain('data-katex-style=');
    expect(page).not.toContain(' style=');
  });

  it('an experiment not run yet is named as such', async () => {
    const html = await report(sampleNotebook());
    expect(html).toContain('Not run yet: no results.');
    expect(html).not.toContain('<svg');
  });

  it('inlineSvg drops the XML declaration, prefixes ids and adds a viewBox', () => {
    const svg =
      '<?xml version="1.0" encoding="utf-8" ?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="20">' +
      '<clipPath id="cl_1"><rect/></clipPath><g clip-path="url(#cl_1)"/></svg>';
    expect(inlineSvg(svg, 'f2', 'A & B')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20" viewBox="0 0 10 20" role="img" aria-label="A &amp; B">' +
        '<clipPath id="f2-cl_1"><rect/></clipPath><g clip-path="url(#f2-cl_1)"/></svg>',
    );
  });
});
