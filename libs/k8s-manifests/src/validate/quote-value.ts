/** Longest part of a user's value echoed back in a message. */
export const QUOTE_MAX = 64;

/**
 * A user-supplied value for an error message: JSON-quoted (so whitespace and
 * control characters show) and cut to QUOTE_MAX characters with its length, so
 * a huge value cannot flood the terminal or push later errors out of a pipe.
 */
export function quoteValue(value: string, max = QUOTE_MAX): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
}
