/** How many characters of a bad value an error message repeats. */
export const SHOWN_CHARACTERS = 80;

/**
 * A value as error messages show it: JSON-quoted (control characters
 * escaped), cut after 80 characters with its full size, so a huge value
 * cannot flood the terminal or a log. A secret shows only its length.
 */
export function showValue(value: string, options: { secret?: boolean } = {}): string {
  if (options.secret) return `<redacted, ${value.length} characters>`;
  const characters = Array.from(value);
  if (characters.length <= SHOWN_CHARACTERS) return JSON.stringify(value);
  const head = characters.slice(0, SHOWN_CHARACTERS).join('');
  return `${JSON.stringify(head)}… (${Buffer.byteLength(value, 'utf8')} bytes)`;
}
