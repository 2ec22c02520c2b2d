import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

/** The renderer's own policy (its index.html meta); sent as a header too when the page has none. */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Headers on every HTTP answer. */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A plain-text answer (errors, refusals). */
export function reply(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  response.end(`${text}\n`);
}

/** The CSP meta of an HTML page, if it has one, so the header says exactly what the page says. */
export function metaCsp(html: string): string | null {
  const tag = /<meta\b[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>/i.exec(html)?.[0];
  const content = tag ? /\bcontent\s*=\s*(["'])([\s\S]*?)\1/i.exec(tag)?.[2] : undefined;
  return content ? content.replace(/\s+/g, ' ').trim() : null;
}

export function isHtmlFile(file: string): boolean {
  return extname(file) === '.html';
}

/** The file under staticDir (absolute) for a URL path, or null when it would leave the folder. */
export function fileFor(staticDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(join(staticDir, relative));
  return file === staticDir || file.startsWith(staticDir + sep) ? file : null;
}

/**
 * Answers with the file (body left out for HEAD), or 404 when it is missing or not a file. HTML is
 * never cached and carries its own CSP as a header; other files are revalidated.
 */
export async function sendFile(
  file: string,
  method: string | undefined,
  response: ServerResponse,
): Promise<void> {
  let body: Buffer;
  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    body = await readFile(file);
  } catch {
    reply(response, 404, 'Not Found');
    return;
  }
  const isHtml = isHtmlFile(file);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(body.length),
    'Cache-Control': isHtml ? 'no-store' : 'no-cache',
  };
  if (isHtml) headers['Content-Security-Policy'] = metaCsp(body.toString('utf8')) ?? RENDERER_CSP;
  response.writeHead(200, headers);
  response.end(method === 'HEAD' ? undefined : body);
}
