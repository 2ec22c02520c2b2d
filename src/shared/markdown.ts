import type { DOMPurify } from 'dompurify';
import { marked } from 'marked';

/**
 * A note's Markdown as safe HTML, one pipeline for the app and the report: marked renders it
 * (GitHub-flavoured: tables, strikethrough, task lists), DOMPurify removes scripts, event handlers,
 * styles, forms and frames. The app passes the browser's DOMPurify; the command line one made on a
 * jsdom window. In the app, links keep their address but are followed only when the user agrees
 * (NoteCard's click handler).
 */
export interface MarkdownOptions {
  /**
   * For a file to read without a network (the report): an image from elsewhere becomes its
   * description, and a link to elsewhere its text with the address written out, so the page makes
   * no request of its own and none by a click. Images given as data: URLs stay.
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

export function markdownRenderer(
  purify: DOMPurify,
  options: MarkdownOptions = {},
): (markdown: string) => string {
  return (markdown: string): string => {
    const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
    if (!options.offline) return purify.sanitize(html, SANITIZE);
    const fragment = purify.sanitize(html, { ...SANITIZE, RETURN_DOM_FRAGMENT: true });
    const document = fragment.ownerDocument;
    for (const image of [...fragment.querySelectorAll('img')]) {
      const source = image.getAttribute('src') ?? '';
      image.removeAttribute('srcset');
      if (!leavesPage(source)) continue;
      const alt = image.getAttribute('alt') ?? '';
      const note = document.createElement('span');
      note.className = 'offline-image';
      note.textContent = `[image${alt ? `: ${alt}` : ''} (${source})]`;
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
    return holder.innerHTML;
  };
}
