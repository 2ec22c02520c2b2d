import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEB_TOKEN_PARAMETER } from '../../shared/webProtocol';
import type { WebAccess } from './access';
import { sameSecret } from './access';
import { fileFor, isHtmlFile, reply, SECURITY_HEADERS, sendFile } from './staticFiles';

const NO_TOKEN = 'Forbidden: open the address the server printed (it carries the token)';

/**
 * One HTTP request: GET/HEAD of a file of the built renderer (staticDir, absolute). HTML pages
 * need the secret (see pageAllowed); other files need only the Host/Origin rules.
 */
export async function handleHttp(
  access: WebAccess,
  staticDir: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (!access.fromThisServer(request)) {
    reply(response, 403, 'Forbidden');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    reply(response, 405, 'Method Not Allowed');
    return;
  }
  const url = access.parseUrl(request);
  const file = url ? fileFor(staticDir, url.pathname) : null;
  if (!url || !file) {
    reply(response, 404, 'Not Found');
    return;
  }
  if (isHtmlFile(file) && !pageAllowed(access, url, request, response)) return;
  await sendFile(file, request.method, response);
}

/**
 * Whether an HTML page may be sent; when not, the answer has been sent. The address with the token
 * is used once: its token becomes an HttpOnly cookie and the browser goes on to the same page
 * without it, so the token never stays in the address bar or the tab's history (issue 14,
 * finding 8). Reloads and the socket use the cookie.
 */
function pageAllowed(
  access: WebAccess,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  const given = url.searchParams.get(WEB_TOKEN_PARAMETER);
  if (given !== null) {
    if (!sameSecret(given, access.token)) {
      reply(response, 403, NO_TOKEN);
      return false;
    }
    url.searchParams.delete(WEB_TOKEN_PARAMETER);
    response.writeHead(303, {
      ...SECURITY_HEADERS,
      Location: `/${url.pathname.replace(/^\/+/, '')}${url.search}`,
      'Set-Cookie': access.sessionCookie,
      'Cache-Control': 'no-store',
      'Content-Length': '0',
    });
    response.end();
    return false;
  }
  if (!access.hasCookie(request)) {
    reply(response, 403, NO_TOKEN);
    return false;
  }
  return true;
}
