import DOMPurify from 'dompurify';
import { marked } from 'marked';

/**
 * A note's Markdown as safe HTML: marked renders it, DOMPurify removes scripts, event handlers,
 * styles, forms and frames. Links keep their address but are followed only when the user agrees
 * (see NoteCard's click handler).
 */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true, breaks: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style', 'target'],
  });
}
