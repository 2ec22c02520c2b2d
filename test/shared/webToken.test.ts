import { describe, expect, it } from 'vitest';
import { withoutToken } from '../../src/shared/webProtocol';

describe('the web token leaves the address bar once read', () => {
  it('drops only the token parameter, keeping the rest of the address', () => {
    expect(withoutToken('http://127.0.0.1:4000/?token=abc123')).toBe('http://127.0.0.1:4000/');
    expect(withoutToken('http://127.0.0.1:4000/?a=1&token=abc123#notes')).toBe(
      'http://127.0.0.1:4000/?a=1#notes',
    );
    expect(withoutToken('http://127.0.0.1:4000/')).toBe('http://127.0.0.1:4000/');
  });
});
