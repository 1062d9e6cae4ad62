import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Exit codes: 0 done and verified; 1 a step or check failed; 2 bad usage; 3 refused before changing anything;
 * 130/143 stopped by SIGINT/SIGTERM (128 + the signal's number, as a shell reports it).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, preflight: 3, sigint: 130, sigterm: 143 } as const;

/** A command's exit code from its engine's result: 0 when it did what it says, 1 when a step or check failed. */
export function exitCodeOf(result: { ok: boolean }): number {
  return result.ok ? EXIT.ok : EXIT.failed;
}

/** The word for each exit code in the outcome line and file. */
export const OUTCOME_NAMES: Readonly<Record<number, string>> = {
  [EXIT.ok]: 'ok',
  [EXIT.failed]: 'failed',
  [EXIT.usage]: 'usage',
  [EXIT.preflight]: 'refused',
  [EXIT.sigint]: 'interrupted',
  [EXIT.sigterm]: 'interrupted',
};

export interface Outcome {
  /** `deploy`, `teardown` or `rehearse`. */
  command: string;
  exitCode: number;
  /** The word for this exit code when the command's own differs from OUTCOME_NAMES (diff: 1 is `changes`, not `failed`). */
  name?: string;
  /** The first line of the error for usage, refused and crashed runs. */
  reason?: string;
}

export const OUTCOME_FILE_FLAG = 'outcome-file';

/**
 * The last line a CLI prints on stderr, e.g. `deploy-outcome: refused exit=3`.
 * Nx turns every non-zero exit into 1, so scripts that run the Nx targets read
 * this line (or the --outcome-file) instead of the exit code.
 */
export function outcomeLine(outcome: Outcome): string {
  return `${outcome.command}-outcome: ${outcomeName(outcome)} exit=${outcome.exitCode}`;
}

function outcomeName({ exitCode, name }: Outcome): string {
  return name ?? OUTCOME_NAMES[exitCode] ?? 'failed';
}

/** The same as JSON, written to a temporary file and renamed into place so a reader never sees half of it. */
export function writeOutcomeFile(path: string, outcome: Outcome): void {
  const record = {
    command: outcome.command,
    outcome: outcomeName(outcome),
    exitCode: outcome.exitCode,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The --outcome-file path, found before the flags are checked so that even a
 * usage error is recorded there. Undefined unless given exactly once, with a
 * value, in a folder that exists.
 */
export function outcomeFileIn(argv: readonly string[]): string | undefined {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args: [...argv],
      options: { [OUTCOME_FILE_FLAG]: { type: 'string', multiple: true } },
      strict: false,
      tokens: true,
      allowPositionals: true,
    }));
  } catch {
    return undefined;
  }
  const given = tokens.filter((t) => t.kind === 'option' && t.name === OUTCOME_FILE_FLAG);
  const only = given.length === 1 && given[0]?.kind === 'option' ? given[0].value : undefined;
  return typeof only === 'string' && only.trim() !== '' && isDirectory(dirname(resolve(only))) ? resolve(only) : undefined;
}

/** Why an --outcome-file value can't be used, or undefined when it can. */
export function outcomeFileProblem(path: string): string | undefined {
  const folder = dirname(resolve(path));
  if (!isDirectory(folder)) return `--${OUTCOME_FILE_FLAG}=${path}: the folder ${folder} does not exist; create it or pick a path in an existing folder`;
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
