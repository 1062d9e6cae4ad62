/**
 * Terraform expressions for generated `*.tftest.json` files. In terraform's
 * JSON syntax a string is a template: `${...}` is evaluated, so an assertion's
 * condition is `"${<expression>}"` and its error message may interpolate the
 * actual value.
 */
export interface Assertion {
  readonly condition: string;
  readonly error_message: string;
}

/** A string literal in an expression (JSON string escapes are valid HCL escapes). */
export function lit(value: string): string {
  if (value.includes('${') || value.includes('%{')) throw new Error(`not a plain literal: ${value}`);
  return JSON.stringify(value);
}

export function strings(values: readonly string[]): string {
  return `[${values.map(lit).join(', ')}]`;
}

export function setOf(values: readonly string[]): string {
  return `toset(${strings(values)})`;
}

/**
 * `condition` must hold; `message` names the resource and may show `${...}`
 * actual values. A condition that cannot be evaluated (a missing block
 * indexed with `[0]`) counts as false, so the message still names the
 * resource instead of a bare "Invalid index".
 */
export function assertion(condition: string, message: string): Assertion {
  return { condition: `\${try(${condition}, false)}`, error_message: message };
}

/** Shows a value of any type in an error message. */
export function shownValue(expression: string): string {
  return `\${jsonencode(${expression})}`;
}
