import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** True when the command was killed because it ran past its timeout. */
  timedOut: boolean;
}

export interface RunOptions {
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
  /** Called with each line of output as it arrives (progress during long steps). */
  onLine?: (line: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Piped to the command's stdin (e.g. a tar stream for `docker import -`). */
  stdin?: Readable;
}

/**
 * The process boundary: every external program the deploy, the rehearsal and
 * the image tools run goes through this, so tests replace it with a fake and
 * assert the decisions made.
 */
export interface Runner {
  /** Absolute path of an executable on PATH, or undefined. Never spawns anything. */
  which(command: string): string | undefined;
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** `which` over a PATH string, checking the execute bit like a shell does. */
export function whichOnPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function processRunner(env: NodeJS.ProcessEnv = process.env): Runner {
  return {
    which: (command) => whichOnPath(command, env.PATH),
    run: (command, args, options = {}) =>
      new Promise<RunResult>((resolve) => {
        const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? env, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
        if (options.stdin && child.stdin) {
          // The command may exit early (bad arguments); its error output says why, not the EPIPE.
          child.stdin.on('error', () => undefined);
          options.stdin.pipe(child.stdin);
        }
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const emit = lineSplitter(options.onLine);
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          emit.push(chunk.toString());
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          emit.push(chunk.toString());
        });
        const timer = options.timeoutMs
          ? setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, options.timeoutMs)
          : undefined;
        child.on('error', (error) => {
          if (timer) clearTimeout(timer);
          resolve({ code: 127, stdout, stderr: `${stderr}${error.message}`, timedOut });
        });
        child.on('close', (code) => {
          if (timer) clearTimeout(timer);
          emit.flush();
          resolve({ code: code ?? 1, stdout, stderr, timedOut });
        });
      }),
  };
}

function lineSplitter(onLine?: (line: string) => void) {
  let pending = '';
  return {
    push(text: string) {
      if (!onLine) return;
      pending += text;
      const lines = pending.split(/\r?\n|\r/);
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    },
    flush() {
      if (onLine && pending.trim()) onLine(pending);
      pending = '';
    },
  };
}

/** The last non-empty lines of a command's output, for error messages. */
export function tail(result: RunResult, lines = 5): string {
  const text = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.trim());
  return text.slice(-lines).join('\n');
}
