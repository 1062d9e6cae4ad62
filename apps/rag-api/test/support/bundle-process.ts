import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BUNDLE = fileURLToPath(new URL('../../../../dist/apps/rag-api/main.js', import.meta.url));

export interface BundleProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  baseUrl: string;
  output: () => string;
  /** Why the process could not start (EACCES, ENOENT), once Node reported it; undefined while it started. */
  spawnError: () => Error | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs the built bundle (or another build's main.js) with plain `node` (the test target builds it first). */
export async function startBundle(env: Record<string, string>, bundle = BUNDLE): Promise<BundleProcess> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run nx run rag-api:build (the test target depends on it)`);
  const port = await freePort();
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A process that never started emits 'error' and no 'exit'.
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      spawnError = new Error(`could not start ${process.execPath} ${bundle}: ${error.message}`);
      resolve({ code: child.exitCode, signal: null });
    });
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, output: () => output, spawnError: () => spawnError, exited };
}

export async function waitForOutput(proc: BundleProcess, text: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    const failed = proc.spawnError();
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}"; output:\n${proc.output()}`);
    if (proc.child.exitCode !== null) throw new Error(`process exited (${proc.child.exitCode}) before "${text}":\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
