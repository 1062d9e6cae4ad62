import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BUNDLE } from './bundle-process.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedBundle {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the process exited; rejects (after SIGKILL) when it is still running after `timeoutMs`. */
  finished: Promise<Finished>;
}

export interface SpawnOptions {
  /** Run as another user (e.g. nobody, to meet EACCES on a privileged port when the tests run as root). */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
  /** Node options before the bundle's path (e.g. `--import` of a test hook). */
  nodeArgs?: readonly string[];
}

/**
 * Runs the built bundle with exactly `env` (plus PATH), stdout and stderr kept
 * apart through real pipes: what a shell pipeline or the kubelet would read.
 */
export function spawnBundle(env: Record<string, string>, options: SpawnOptions = {}): StartedBundle {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run nx run rag-api:build (the test target depends on it)`);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BUNDLE], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const finished = new Promise<Finished>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms; stdout:\n${stdout}\nstderr:\n${stderr.slice(0, 4000)}`));
    }, timeoutMs);
    // 'close' (not 'exit'): both pipes are drained, so the output is complete.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, finished };
}

/** Runs the bundle until it exits on its own. */
export function runBundle(env: Record<string, string>, options: SpawnOptions = {}): Promise<Finished> {
  return spawnBundle(env, options).finished;
}
