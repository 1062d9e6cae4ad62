/**
 * Rules for secret values. Their problems never contain the value: they are
 * printed in start-up errors and deploy output.
 */

/** Whole values that stand in for a credential. */
const PLACEHOLDER_VALUES = new Set([
  'todo',
  'tbd',
  'fixme',
  'none',
  'null',
  'nil',
  'undefined',
  'empty',
  'n/a',
  'na',
  'secret',
  'password',
  'token',
  'key',
  'apikey',
  'api-key',
  'api_key',
  'test',
  'changeit',
]);

/** Words that mark a placeholder wherever they stand between separators (`sk-TODO`, `your-key-here`). */
const PLACEHOLDER_WORDS = new Set([
  'todo',
  'tbd',
  'fixme',
  'placeholder',
  'changeme',
  'replaceme',
  'dummy',
  'example',
  'sample',
  'fake',
  'redacted',
  'your',
  'here',
]);

/** Long enough never to occur by chance inside a random key. */
const PLACEHOLDER_FRAGMENTS = /placeholder|change-?me|change_me|replace-?me|replace_me|your[-_]?(api[-_]?)?key/i;

/** Template syntax left unexpanded, angle-bracket slots and ellipses: `<key>`, `${KEY}`, `{{ .key }}`, `sk-...`, `sk-\u2026` (escaped: the bundle stays ASCII). */
const UNFILLED_SLOT = /<[^>]*>|\$\{[^}]*\}|^\$[A-Z_][A-Z0-9_]*$|\{\{.*\}\}|\.\.\.|\u2026/;

/** True for values that are obviously not a real credential. */
export function looksLikePlaceholder(value: string): boolean {
  const trimmed = value.trim();
  const lower = trimmed.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower) || PLACEHOLDER_FRAGMENTS.test(trimmed) || UNFILLED_SLOT.test(trimmed)) return true;
  // One character repeated: `xxxxxxxx`, `00000000`, `********`.
  if (/^(.)\1{2,}$/s.test(trimmed)) return true;
  return lower.split(/[^a-z0-9]+/).some((word) => PLACEHOLDER_WORDS.has(word) || /^x{3,}$/.test(word));
}

/**
 * Problems a secret has in every environment: whitespace, which a provider
 * would reject (usually a newline copied along with the key).
 */
export function secretWhitespaceProblems(value: string): string[] {
  if (value.trim() !== value) return ['has leading or trailing whitespace (often a newline copied with the key); remove it'];
  if (/\s/.test(value)) return ['contains whitespace, which no API key does'];
  return [];
}
