import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The only interface the web adapter listens on. */
export const WEB_HOST = '127.0.0.1';

/** The session cookie's name (the server's port is appended). */
export const WEB_TOKEN_COOKIE = 'accentLabToken';

/** Whether `given` is the token, compared in constant time. */
export function sameSecret(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Every value of the cookie `name` in a Cookie header (decoded; undecodable ones left out). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    try {
      values.push(decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // a value that is not percent-encoding is no token of ours
    }
  }
  return values;
}

/**
 * Who may reach one web server: the Host and Origin rules and the per-launch secret, as a cookie
 * or a given token (the rules themselves are told at startWebServer). `port` is set once the
 * server listens; no request arrives before that.
 */
export class WebAccess {
  port = 0;

  constructor(readonly token: string) {}

  /**
   * Cookies are not kept apart by port, so the cookie's name carries the port: two servers on one
   * machine never share one.
   */
  get cookieName(): string {
    return this.port === 0 ? WEB_TOKEN_COOKIE : `${WEB_TOKEN_COOKIE}-${this.port}`;
  }

  /** The Set-Cookie value that exchanges the token for the session cookie. */
  get sessionCookie(): string {
    return `${this.cookieName}=${encodeURIComponent(this.token)}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** The Host header names this server (no DNS rebinding) and the Origin, if any, is its own page. */
  fromThisServer(request: IncomingMessage): boolean {
    const { host, origin } = request.headers;
    const hostAllowed = host === `${WEB_HOST}:${this.port}` || host === `localhost:${this.port}`;
    const originAllowed =
      origin === undefined ||
      origin === `http://${WEB_HOST}:${this.port}` ||
      origin === `http://localhost:${this.port}`;
    return hostAllowed && originAllowed;
  }

  /** Whether the request carries the session cookie with the token. */
  hasCookie(request: IncomingMessage): boolean {
    return cookieValues(request.headers.cookie, this.cookieName).some((value) =>
      sameSecret(value, this.token),
    );
  }

  /** The request's URL against this server, or null when it does not parse. */
  parseUrl(request: IncomingMessage): URL | null {
    try {
      return new URL(request.url ?? '/', `http://${WEB_HOST}:${this.port}`);
    } catch {
      return null;
    }
  }
}
