import DOMPurify from 'dompurify';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { Marked, type TokenizerAndRendererExtension } from 'marked';

/**
 * Math in notes, as in Jupyter: `$…$` inline and `$$…$$` on lines of their own, typeset by KaTeX
 * (its fonts are bundled by the build: no network). Pandoc's rule keeps prices apart from math:
 * an inline `$` opens only before a non-space and closes only after one, not before a digit.
 *
 * The extension only leaves a placeholder holding the TeX; the placeholders are typeset after
 * DOMPurify has cleaned the note, because KaTeX's markup needs the `style` attributes the
 * sanitizer strips from everything else. KaTeX runs with `trust: false` (no \href, \url or
 * \htmlStyle), so its output is markup of its own making.
 */
const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const mathBlock: TokenizerAndRendererExtension = {
  name: 'mathBlock',
  level: 'block',
  start: (source) => source.match(/^ {0,3}\$\$/m)?.index,
  tokenizer(source) {
    const match = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(source);
    if (!match) return undefined;
    return { type: 'mathBlock', raw: match[0], text: match[1]!.trim() };
  },
  renderer: (token) =>
    `<div class="math-display" data-tex="${escapeAttribute(String(token['text']))}"></div>\n`,
};

const mathInline: TokenizerAndRendererExtension = {
  name: 'mathInline',
  level: 'inline',
  start: (source) => (source.indexOf('$') >= 0 ? source.indexOf('$') : undefined),
  tokenizer(source) {
    const match = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(source);
    if (!match) return undefined;
    return { type: 'mathInline', raw: match[0], text: match[1]! };
  },
  renderer: (token) =>
    `<span class="math-inline" data-tex="${escapeAttribute(String(token['text']))}"></span>`,
};

const markdown = new Marked({ async: false, gfm: true, breaks: false, extensions: [mathBlock, mathInline] });

const unescapeAttribute = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');

/** Typeset one formula; a TeX error shows as the source in red with KaTeX's message as its title. */
function typeset(tex: string, displayMode: boolean): string {
  const html = katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    output: 'htmlAndMathml',
    maxSize: 50,
    maxExpand: 1000,
  });
  // The page's CSP allows no inline style attributes: KaTeX's go to a data attribute, and
  // applyMathStyles sets them through the CSSOM (which the CSP does not govern).
  return html.replace(/ style="/g, ' data-katex-style="');
}

/** Give the typeset math under `root` the inline styles KaTeX meant (see typeset). */
export function applyMathStyles(root: {
  querySelectorAll(selector: string): Iterable<{ dataset: DOMStringMapLike; style: { cssText: string } }>;
}): void {
  for (const element of root.querySelectorAll('[data-katex-style]'))
    element.style.cssText = element.dataset['katexStyle'] ?? '';
}
type DOMStringMapLike = Record<string, string | undefined>;

/**
 * A note's Markdown as safe HTML: marked renders it, DOMPurify removes scripts, event handlers,
 * styles, forms and frames, then KaTeX typesets the math. Links keep their address but are
 * followed only when the user agrees (see NoteCard's click handler).
 */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source) as string;
  const clean = DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'target'],
  });
  return clean.replace(
    /<(span|div) class="math-(inline|display)" data-tex="([^"]*)"><\/\1>/g,
    (_whole, tag: string, kind: string, tex: string) =>
      `<${tag} class="math-${kind}">${typeset(unescapeAttribute(tex), kind === 'display')}</${tag}>`,
  );
}
