import { describe, expect, it } from 'vitest';
import { looksLikePlaceholder, secretWhitespaceProblems } from './secret-rules.js';

describe('placeholder detection', () => {
  it.each([
    'placeholder',
    'PLACEHOLDER-not-a-real-key',
    'changeme',
    'change-me',
    'TODO',
    'todo ',
    'sk-TODO',
    'tbd',
    'FIXME',
    'xxxx',
    'sk-xxxxxxxxxxxx',
    'sk-proj-XXXXXXXXXXXXXXXX',
    '<api-key>',
    'sk-<your key>',
    'your-key-here',
    'YOUR_API_KEY',
    'insert-your-key-here',
    'sk-...',
    'sk-\u2026',
    '${OPENAI_API_KEY}',
    '$OPENAI_API_KEY',
    '{{ .Values.openaiApiKey }}',
    '********',
    '00000000',
    'dummy',
    'sk-example-key',
    'secret',
    'null',
  ])('flags %j', (value) => {
    expect(looksLikePlaceholder(value)).toBe(true);
  });

  it.each([
    'sk-proj-8Jd93kLmQ02xZ',
    'sk-live-abcdef0123456789',
    'sk-test-4f9a1c0e7b2d4e8f9a1c0e7b2d4e8f9a',
    'sk-proj-from-dotenv-0001',
    'validated-at-deploy-time-0000',
  ])('does not flag the real-looking key %j', (value) => {
    expect(looksLikePlaceholder(value)).toBe(false);
  });
});

describe('whitespace in a secret', () => {
  it.each([' sk-proj-8Jd93kLmQ02xZ', 'sk-proj-8Jd93kLmQ02xZ ', 'sk-proj-8Jd93kLmQ02xZ\n', '\tsk-proj-8Jd93kLmQ02xZ'])(
    'refuses %j as surrounding whitespace',
    (value) => {
      expect(secretWhitespaceProblems(value)).toEqual([expect.stringContaining('leading or trailing whitespace')]);
    },
  );

  it('refuses inner whitespace', () => {
    expect(secretWhitespaceProblems('sk-proj 8Jd93kLmQ02xZ')).toEqual(['contains whitespace, which no API key does']);
  });

  it('accepts a key without whitespace, and never repeats the value', () => {
    expect(secretWhitespaceProblems('sk-proj-8Jd93kLmQ02xZ')).toEqual([]);
    expect(secretWhitespaceProblems(' sk-proj-8Jd93kLmQ02xZ').join('')).not.toContain('8Jd93');
  });
});
