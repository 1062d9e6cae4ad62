import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface TimedLine {
  /** performance.now() when the line arrived. */
  at: number;
  text: string;
}

export interface TimedRun {
  child: ChildProcess;
  lines: TimedLine[];
  /** Settles with the exit code when the process ends (and its output is read). */
  exited: Promise<number>;
}

/** Runs a program, timestamping each stdout/stderr line as it arrives (stage boundaries are read from them). */
export function timedSpawn(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine?: (line: TimedLine) => void },
): TimedRun {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: TimedLine[] = [];
  const read = (stream: NodeJS.ReadableStream) =>
    new Promise<void>((resolve) => {
      const rl = createInterface({ input: stream });
      rl.on('line', (text) => {
        const line = { at: performance.now(), text };
        lines.push(line);
        options.onLine?.(line);
      });
      rl.on('close', () => resolve());
    });
  const reading = Promise.all([read(child.stdout as NodeJS.ReadableStream), read(child.stderr as NodeJS.ReadableStream)]);
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1))).then(async (code) => {
    await reading;
    return code;
  });
  return { child, lines, exited };
}

/** When the first line matching `pattern` arrived. */
export function lineAt(lines: readonly TimedLine[], pattern: RegExp): number | undefined {
  return lines.find((l) => pattern.test(l.text))?.at;
}
