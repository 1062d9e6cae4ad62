import { parseArgs } from 'node:util';
import { flagsNxDropped } from './nx-dropped-flags.js';
import { OUTCOME_FILE_FLAG, outcomeFileProblem } from './outcome.js';

/** A flag problem: the command prints the message and exits 2 (EXIT.usage). */
export class UsageError extends Error {}

/** `90`, `90s`, `3m` → milliseconds. */
export function parseTimeout(value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const match = value.trim().match(/^(\d+)(s|m)?$/);
  if (!match) throw new UsageError(`--timeout=${shownFlagValue(value)}: expected seconds (e.g. 180, 180s or 3m)`);
  const n = Number(match[1]);
  if (n <= 0) throw new UsageError('--timeout must be positive');
  return n * (match[2] === 'm' ? 60_000 : 1000);
}

type FlagOptions = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** Per flag, the fix to print when it is given twice or empty (the default says "pass it once" / "give it a value"). */
export type FlagFixes<T> = Partial<Record<keyof T, { repeated?: string | ((values: readonly string[]) => string); empty?: string }>>;

/**
 * util.parseArgs, strict, plus what it lets through: a flag that takes a
 * value must be given once (a second `--cluster` must not quietly win) and
 * not empty (`--allow-context=` must not quietly mean "not given").
 * `--outcome-file=<path>` and `-h/--help` are added to every CLI. Under `nx run`, this command's flags given before
 * `--` (which Nx does not pass on when there is a `--`) are read from Nx's command line and come first (a note says so).
 */
export function parseFlags<T extends FlagOptions>(argv: readonly string[], options: T, fixes: FlagFixes<T> = {}) {
  const all = { ...options, [OUTCOME_FILE_FLAG]: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;
  const dropped = flagsNxDropped(all);
  if (dropped.length) console.error(`note: nx run passes only the flags after "--"; also using ${dropped.join(' ')} (given before it)`);
  let parsed;
  try {
    parsed = parseArgs({ args: [...dropped, ...argv], options: all, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nrun with --help for the flags`);
  }
  const seen = new Map<string, string[]>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || all[token.name]?.type !== 'string') continue;
    const value = token.value ?? '';
    seen.set(token.name, [...(seen.get(token.name) ?? []), value]);
    if (value.trim() === '') {
      const fix = (fixes[token.name] as { empty?: string } | undefined)?.empty ?? `give it a value: --${token.name}=<value>`;
      throw new UsageError(`--${token.name} is empty; ${fix}`);
    }
  }
  for (const [name, values] of seen) {
    if (values.length < 2) continue;
    const given = values.map((v) => `--${name}=${shownFlagValue(v)}`).join(', ');
    const repeated = (fixes[name] as FlagFixes<FlagOptions>[string])?.repeated ?? `pass --${name} once`;
    const fix = typeof repeated === 'function' ? repeated(values) : repeated;
    throw new UsageError(`--${name} is given ${values.length === 2 ? 'twice' : `${values.length} times`} (${given}) but takes one value; ${fix}`);
  }
  const outcomeFile = (parsed.values as Record<string, unknown>)[OUTCOME_FILE_FLAG];
  if (typeof outcomeFile === 'string') {
    const problem = outcomeFileProblem(outcomeFile);
    if (problem) throw new UsageError(problem);
  }
  return parsed;
}

/** A flag value in a message: at most 60 characters. */
export function shownFlagValue(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}
