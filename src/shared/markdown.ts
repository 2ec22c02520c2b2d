import type { DOMPurify } from 'dompurify';
import katex from 'katex';
import { Marked, type TokenizerAndRendererExtension } from 'marked';

/**
 * A note's Markdown as safe HTML, one pipeline for the app and the report: marked renders it
 * (GitHub-flavoured: tables, strikethrough, task lists), DOMPurify removes scripts, event handlers,
 * styles, forms and frames, then KaTeX typesets the math. The app passes the browser's DOMPurify;
 * the command line one made on a jsdom window. In the app, links keep their address but are
 * followed only when the user agrees (NoteCard's click handler).
 *
 * Math, as in Jupyter: `$…$` inline and `$$…$$` on lines of their own. Pandoc's rule keeps prices
 * apart from math: an inline `$` opens only before a non-space and closes only after one, not
 * before a digit. The extension only leaves a placeholder holding the TeX; the placeholders are
 * typeset after DOMPurify has cleaned the note, because KaTeX's markup needs attributes the
 * sanitizer strips from everything else. KaTeX runs with `trust: false` (no \href, \url or
 * \htmlStyle), so its output is markup of its own making.
 */
export interface MarkdownOptions {
  /**
   * For a file to read without a network (the report): an image from elsewhere becomes its
   * description, and a link to elsewhere its text with the address written out, so the page makes
   * no request of its own and none by a click. Images given as data: URLs stay. Math is typeset as
   * MathML, which browsers draw with their own fonts: no style sheet and no font to load.
   */
  offline?: boolean;
}

const SANITIZE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'target'],
};

/** An address that leaves the page: anything but a fragment (#...) or a data: image. */
const leavesPage = (address: string): boolean => !/^\s*(#|data:image\/)/i.test(address);

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const unescapeAttribute = (text: string): string =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');

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

/**
 * Typeset one formula; a TeX error shows as the source in red with KaTeX's message as its title.
 * On the page: KaTeX's HTML (its style sheet and fonts are the app's own) with MathML for screen
 * readers. The page's CSP allows no inline style attributes, so KaTeX's go to a data attribute and
 * the renderer's applyMathStyles sets them through the CSSOM. Offline: MathML only.
 */
function typeset(tex: string, displayMode: boolean, offline: boolean): string {
  const html = katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    output: offline ? 'mathml' : 'htmlAndMathml',
    maxSize: 50,
    maxExpand: 1000,
  });
  return offline ? html : html.replace(/ style="/g, ' data-katex-style="');
}

/** Replace the math placeholders of sanitized HTML with the typeset formulas. */
function typesetPlaceholders(html: string, offline: boolean): string {
  return html.replace(
    /<(span|div) class="math-(inline|display)" data-tex="([^"]*)"><\/\1>/g,
    (_whole, tag: string, kind: string, tex: string) =>
      `<${tag} class="math-${kind}">${typeset(unescapeAttribute(tex), kind === 'display', offline)}</${tag}>`,
  );
}

export function markdownRenderer(
  purify: DOMPurify,
  options: MarkdownOptions = {},
): (markdown: string) => string {
  return (source: string): string => {
    const html = markdown.parse(source) as string;
    if (!options.offline) return typesetPlaceholders(purify.sanitize(html, SANITIZE), false);
    const fragment = purify.sanitize(html, { ...SANITIZE, RETURN_DOM_FRAGMENT: true });
    const document = fragment.ownerDocument;
    for (const image of [...fragment.querySelectorAll('img')]) {
      const address = image.getAttribute('src') ?? '';
      image.removeAttribute('srcset');
      if (!leavesPage(address)) continue;
      const alt = image.getAttribute('alt') ?? '';
      const note = document.createElement('span');
      note.className = 'offline-image';
      note.textContent = `[image${alt ? `: ${alt}` : ''} (${address})]`;
      image.replaceWith(note);
    }
    for (const link of [...fragment.querySelectorAll('a[href]')]) {
      const address = link.getAttribute('href') ?? '';
      if (!leavesPage(address)) continue;
      const text = document.createElement('span');
      text.className = 'offline-link';
      text.append(...link.childNodes);
      // The address written out, unless the text already is it (a bare URL).
      if (text.textContent?.trim() !== address.trim()) text.append(` (${address})`);
      link.replaceWith(text);
    }
    const holder = document.createElement('div');
    holder.append(fragment);
    return typesetPlaceholders(holder.innerHTML, true);
  };
}
