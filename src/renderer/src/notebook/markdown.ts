import DOMPurify from 'dompurify';
import { markdownRenderer } from '../../../shared/markdown';
import 'katex/dist/katex.min.css';

/*
 * The app's note renderer (src/shared/markdown.ts) on the browser's DOMPurify. KaTeX's style
 * sheet and fonts are bundled by the build: no network.
 */

/** Give the typeset math under `root` the inline styles KaTeX meant (src/shared/markdown.ts, typeset). */
export function applyMathStyles(root: {
  querySelectorAll(selector: string): Iterable<{ dataset: DOMStringMapLike; style: { cssText: string } }>;
}): void {
  for (const element of root.querySelectorAll('[data-katex-style]'))
    element.style.cssText = element.dataset['katexStyle'] ?? '';
}
type DOMStringMapLike = Record<string, string | undefined>;

/** A note's Markdown as safe HTML, its math typeset (call applyMathStyles once it is in the page). */
export const renderMarkdown = markdownRenderer(DOMPurify);

/**
 * For the report read without a network (src/shared/markdown.ts, offline): images and links from
 * elsewhere written out, math as MathML.
 */
export const renderMarkdownOffline = markdownRenderer(DOMPurify, { offline: true });
