import { afterEach, describe, expect, it } from 'vitest';
import { startBundle, waitForOutput, type BundleProcess } from './support/bundle-process.js';

const SECRET = 'sk-test-4f9a1c0e7b2d4e8f9a1c0e7b2d4e8f9a';

async function get(proc: BundleProcess, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${proc.baseUrl}${path}`);
  return { status: res.status, body: await res.json() };
}

describe('the built bundle as a process (real listening socket)', () => {
  let proc: BundleProcess | undefined;
  afterEach(() => {
    if (proc && proc.child.exitCode === null) proc.child.kill('SIGKILL');
    proc = undefined;
  });

  it('logs "Application startup complete" once listening, as JSON, with the secret redacted', async () => {
    proc = await startBundle({ OPENAI_API_KEY: SECRET, LOG_LEVEL: 'debug' });
    await waitForOutput(proc, 'Application startup complete');
    await get(proc, '/');
    await waitForOutput(proc, 'request completed');
    const lines = proc.output().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.filter((r) => r.msg === 'Application startup complete')).toHaveLength(1);
    expect(records.find((r) => r.msg === 'configuration loaded')).toMatchObject({
      config: { OPENAI_API_KEY: '[redacted]', APP_ENV: 'dev' },
    });
    expect(proc.output()).not.toContain(SECRET);
  });

  it('refuses to start on invalid config: prints every bad key, exits 1, never listens', async () => {
    proc = await startBundle({ APP_ENV: 'prod', AWS_REGION: 'moon-1', DOCUMENTS_BUCKET: 'Not_A_Bucket', OPENAI_API_KEY: '' });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const out = proc.output();
    expect(out).toContain('refusing to start');
    expect(out).toMatch(/AWS_REGION: "moon-1" is not an AWS region code/);
    expect(out).toMatch(/DOCUMENTS_BUCKET: "Not_A_Bucket"/);
    expect(out).toMatch(/OPENAI_API_KEY: is required when APP_ENV=prod/);
    expect(out).not.toContain('Application startup complete');
    await expect(fetch(`${proc.baseUrl}/health/live`)).rejects.toThrow();
  });

  it('SIGTERM: readiness 503 at once, live and other routes served during the drain, then exit 0', async () => {
    proc = await startBundle({ SHUTDOWN_DRAIN_SECONDS: '2' });
    await waitForOutput(proc, 'Application startup complete');
    expect((await get(proc, '/health/ready')).status).toBe(200);

    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    await waitForOutput(proc, 'shutdown started');

    const ready = await get(proc, '/health/ready');
    expect(ready).toEqual({ status: 503, body: { status: 'not_ready', checks: { api: 'shutting_down' } } });
    expect(await get(proc, '/health/live')).toEqual({ status: 200, body: { status: 'alive' } });
    expect((await get(proc, '/')).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();

    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2000);
    expect(proc.output()).toContain('shutdown complete');
  });

  it('a second signal during the drain exits at once', async () => {
    proc = await startBundle({ SHUTDOWN_DRAIN_SECONDS: '30' });
    await waitForOutput(proc, 'Application startup complete');
    proc.child.kill('SIGTERM');
    await waitForOutput(proc, 'shutdown started');
    const secondAt = Date.now();
    proc.child.kill('SIGINT');
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(Date.now() - secondAt).toBeLessThan(2000);
    expect(proc.output()).toContain('second signal');
  });
});
