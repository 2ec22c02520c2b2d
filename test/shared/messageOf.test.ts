import { describe, expect, it } from 'vitest';
import { messageOf } from '../../src/shared/messageOf';

describe('messageOf', () => {
  it("is an Error's message, and anything else as text", () => {
    expect(messageOf(new TypeError('no such notebook'))).toBe('no such notebook');
    expect(messageOf('refused')).toBe('refused');
    expect(messageOf(42)).toBe('42');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
