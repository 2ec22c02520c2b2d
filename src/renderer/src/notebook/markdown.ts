import DOMPurify from 'dompurify';
import { markdownRenderer } from '../../../shared/markdown';

/**
 * A note's Markdown as safe HTML (src/shared/markdown.ts: marked, then DOMPurify). Links keep their
 * address but are followed only when the user agrees (see NoteCard's click handler).
 */
export const renderMarkdown = markdownRenderer(DOMPurify);

/** The same, for a report read without a network: images and links from elsewhere written out. */
export const renderMarkdownOffline = markdownRenderer(DOMPurify, { offline: true });
