import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { OtherUserFolder } from '@llmops-rag/workspace-tools';
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
  /** Resolves when the process exited; rejects at once when it could not start, and (after SIGKILL) when it is still running after `timeoutMs`. */
  finished: Promise<Finished>;
}

export interface SpawnOptions {
  /**
   * Run as another user (e.g. nobody, to meet EACCES on a privileged port when the tests run as root), from copies of
   * Node and of the bundle in that user's folder: it may not enter the checkout (a private `mktemp -d`).
   */
  as?: OtherUserFolder;
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
  const { as } = options;
  const node = as?.node ?? process.execPath;
  const bundle = as ? join(as.copyIn(dirname(BUNDLE)), basename(BUNDLE)) : BUNDLE;
  const child = spawn(node, [...(options.nodeArgs ?? []), bundle], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ? { uid: as.uid, gid: as.gid, cwd: as.dir } : {}),
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
    // A spawn that fails (EACCES, ENOENT) emits 'error' and no 'close': report it now, not as a timeout.
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${node} ${bundle}${as ? ` as uid ${as.uid}` : ''}: ${error.message}`));
    });
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
