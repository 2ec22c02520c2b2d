import { describe, expect, it } from 'vitest';
import { externalLinkPrompt, isOpenableExternalUrl } from '../../../src/main/electron/externalLinks';

describe('isOpenableExternalUrl', () => {
  it('accepts http and https links with a host', () => {
    for (const url of [
      'https://example.org/',
      'http://example.org/paper.pdf?x=1#s4',
      'HTTPS://EXAMPLE.ORG/a',
      'https://127.0.0.1:8080/',
    ]) {
      expect(isOpenableExternalUrl(url), url).toBe(true);
    }
  });

  it('refuses every other scheme, malformed URLs, credentials and non-strings', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'smb://server/share',
      'ms-settings:',
      'mailto:someone@example.org',
      'about:blank',
      'http:',
      'https://',
      'not a url',
      '/relative/path',
      '',
      'https://bank.example@evil.example/',
      'https://user:pass@example.org/',
      `https://example.org/${'a'.repeat(9000)}`,
    ]) {
      expect(isOpenableExternalUrl(url), url).toBe(false);
    }
    for (const value of [undefined, null, 42, {}, ['https://example.org/']]) {
      expect(isOpenableExternalUrl(value)).toBe(false);
    }
  });

  it('shows the URL in the confirmation, with Cancel first', () => {
    const prompt = externalLinkPrompt('https://example.org/x');
    expect(prompt.detail).toBe('https://example.org/x');
    expect(prompt.buttons[0]).toBe('Cancel');
  });
});
