import createDOMPurify from 'dompurify';
import type { WindowLike } from 'dompurify';
import { JSDOM } from 'jsdom';
import { markdownRenderer } from '../shared/markdown';
import type { MarkdownOptions } from '../shared/markdown';

/**
 * The app's note renderer (src/shared/markdown.ts) outside a browser: the same marked and DOMPurify
 * configuration, DOMPurify working on a jsdom window.
 */
export function nodeMarkdownRenderer(options: MarkdownOptions = {}): (markdown: string) => string {
  const { window } = new JSDOM('');
  return markdownRenderer(createDOMPurify(window as unknown as WindowLike), options);
}
