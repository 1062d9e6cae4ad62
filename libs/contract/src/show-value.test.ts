import { describe, expect, it } from 'vitest';
import { SHOWN_CHARACTERS, showValue } from './show-value.js';

describe('showValue', () => {
  it('quotes a short value whole, escaping control characters', () => {
    expect(showValue('My_Bucket')).toBe('"My_Bucket"');
    expect(showValue('a\u001b[31mb\n')).toBe('"a\\u001b[31mb\\n"');
  });

  it('cuts a long value after 80 characters and gives its full size in bytes', () => {
    const shown = showValue('A'.repeat(25_600));
    expect(shown).toBe(`"${'A'.repeat(SHOWN_CHARACTERS)}"… (25600 bytes)`);
  });

  it('cuts between characters, never inside one, and counts UTF-8 bytes', () => {
    const shown = showValue('é'.repeat(100));
    expect(shown).toBe(`"${'é'.repeat(80)}"… (200 bytes)`);
  });

  it('shows only the length of a secret', () => {
    expect(showValue('sk-proj-8Jd93kLmQ02xZ', { secret: true })).toBe('<redacted, 21 characters>');
  });
});
