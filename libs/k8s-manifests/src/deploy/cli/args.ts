import { PreflightError } from '../preflight.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Exit codes: 0 deployed and verified; 1 a step or check failed; 2 bad usage; 3 refused in preflight (nothing changed). */
export const EXIT = { ok: 0, failed: 1, usage: 2, preflight: 3 } as const;

export class UsageError extends Error {}

export interface CommonFlags {
  allowContext?: string;
  timeoutMs: number;
  help: boolean;
}

/** `90`, `90s`, `3m` → milliseconds. */
export function parseTimeout(value: string | undefined, fallbackSeconds: number): number {
  if (value === undefined) return fallbackSeconds * 1000;
  const match = value.trim().match(/^(\d+)(s|m)?$/);
  if (!match) throw new UsageError(`--timeout=${value}: expected seconds (e.g. 180, 180s or 3m)`);
  const n = Number(match[1]);
  if (n <= 0) throw new UsageError('--timeout must be positive');
  return n * (match[2] === 'm' ? 60_000 : 1000);
}

export function parseFlags<T extends Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nrun with --help for the flags`);
  }
}

/** The Nx workspace root (the folder with nx.json) above this file. */
export function workspaceRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Runs a CLI's main and maps its outcome to the exit codes above: a
 * PreflightError means nothing was changed, a UsageError is a flag problem.
 */
export function runCli(verb: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof PreflightError) {
        console.error(`\n${verb} refused before changing anything:\n${error.message}`);
        process.exit(EXIT.preflight);
      }
      if (error instanceof UsageError) {
        console.error(error.message);
        process.exit(EXIT.usage);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(EXIT.failed);
    },
  );
}
