import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION, HEALTH_PATHS, STARTUP_LINE } from '@llmops-rag/contract';
import { BUNDLE, startBundle, waitForOutput } from './support/bundle-process.js';

/*
 * prime-code-cache.js and main.js from the built bundle (the test target builds
 * it), run on a copy in a temp dir as the image build and a pod run them: the
 * build's dist/apps/rag-api is never written to.
 */
const DIST = dirname(BUNDLE);
const WELCOME = 'Welcome to LLMOps RAG Pipeline';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script>` in its own folder with only PATH and `env`, to its exit. */
function runNode(script: string, env: Record<string, string> = {}): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { cwd: dirname(script), env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const copies: string[] = [];
afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the built bundle without any cache, removed after the file's tests. */
function copyOfBundle(): string {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run nx run rag-api:build (the test target depends on it)`);
  const dir = mkdtempSync(join(tmpdir(), 'rag-api-prime-'));
  copies.push(dir);
  cpSync(DIST, dir, { recursive: true, filter: (source) => !source.endsWith('.cache') });
  return dir;
}

/** Starts main.js from `dir` with NODE_DEBUG=rag-api, reads GET /health/ready and GET /, stops it; returns what it said. */
async function serveOnce(dir: string): Promise<{ output: string; ready: number; root: { status: number; body: string } }> {
  const proc = await startBundle({ NODE_DEBUG: 'rag-api', SHUTDOWN_DRAIN_SECONDS: '0' }, join(dir, 'main.js'));
  try {
    await waitForOutput(proc, STARTUP_LINE, 15_000);
    const ready = await fetch(`${proc.baseUrl}${HEALTH_PATHS.ready}`);
    const root = await fetch(`${proc.baseUrl}/`);
    return { output: proc.output(), ready: ready.status, root: { status: root.status, body: await root.text() } };
  } finally {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
}

const stateLine = (dir: string, state: string) => `code cache for ${join(dir, 'app-bundle.js')}: ${state}`;

describe('prime-code-cache.js, then main.js with the cache it wrote (a copy of the built bundle)', () => {
  let dir = '';
  beforeAll(() => void (dir = copyOfBundle()));

  it('prime-code-cache.js exits 0 having written app-bundle.js.cache for this app-bundle.js', async () => {
    const primed = await runNode(join(dir, 'prime-code-cache.js'));
    expect(primed.code, primed.stderr).toBe(0);
    expect(primed.stdout).toContain(`prime-code-cache: ${join(dir, 'app-bundle.js.cache')} written after a start and GET ${HEALTH_PATHS.ready}`);
    expect(primed.stderr).not.toContain('prime-code-cache: failed');
    const cache = readFileSync(join(dir, 'app-bundle.js.cache'));
    const digest = createHash('sha256')
      .update(readFileSync(join(dir, 'app-bundle.js')))
      .digest();
    expect(cache.subarray(0, 32).equals(digest)).toBe(true);
    expect(cache.length).toBeGreaterThan(100_000); // what a start compiled, not a header
  });

  it('main.js next to it says the cache was accepted and serves /health/ready', async () => {
    const served = await serveOnce(dir);
    expect(served.output).toContain(stateLine(dir, 'accepted'));
    expect(served.ready).toBe(200);
    expect(served.root).toEqual({ status: 200, body: `{"message":"${WELCOME}","version":"${APP_VERSION}","docs":"/docs"}` });
  });

  it('after one byte of app-bundle.js changes (same length), the cache is stale and the changed code is what runs', async () => {
    const bundleFile = join(dir, 'app-bundle.js');
    const source = readFileSync(bundleFile, 'utf8');
    expect(source.split(WELCOME).length - 1).toBe(1);
    const changed = `${WELCOME.slice(0, -1)}${WELCOME.at(-1)!.toUpperCase()}`; // ...PipelinE: one byte, same length
    writeFileSync(bundleFile, source.replace(WELCOME, changed));
    expect(readFileSync(bundleFile).length).toBe(Buffer.byteLength(source));

    const served = await serveOnce(dir);
    expect(served.output).toContain(stateLine(dir, 'stale'));
    expect(served.ready).toBe(200);
    // V8 alone would take the old cache (it checks only the length) and answer with the primed code's banner.
    expect(JSON.parse(served.root.body)).toMatchObject({ message: changed });
  });
});

describe('prime-code-cache.js when the app cannot start', () => {
  let dir = '';
  beforeAll(() => void (dir = copyOfBundle()));

  it('a configuration error: exit 1, the key named, "prime-code-cache: failed", and no cache written', async () => {
    const primed = await runNode(join(dir, 'prime-code-cache.js'), { APP_ENV: 'bogus' });
    expect(primed.code, primed.stdout).toBe(1);
    expect(primed.stderr).toContain('APP_ENV: "bogus" must be one of dev, staging, prod');
    expect(primed.stderr).toMatch(/^prime-code-cache: failed: /m);
    expect(existsSync(join(dir, 'app-bundle.js.cache'))).toBe(false);
  });
});
