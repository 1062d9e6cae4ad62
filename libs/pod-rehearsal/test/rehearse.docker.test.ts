import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageRef, STARTUP_LINE } from '@llmops-rag/contract';
import { ensureAppImage } from '@llmops-rag/workspace-tools';
import { dockerRuntime } from '../src/docker-runtime.js';
import { formatSummary } from '../src/report.js';
import { rehearse, type RehearsalOptions } from '../src/rehearse.js';
import type { RehearsalResult } from '../src/result.js';
import { fastProbes, profileWith, synthToTemp } from '../src/testing/profile-dir.js';

/*
 * The rehearsal for real: the real image (built now by the image helper), the
 * real synth output, real Docker, real probes. Skipped, with the reason
 * printed, only when no Docker engine answers; CI has one.
 */
const runtime = dockerRuntime();
const engine = await runtime.engine();
if (!engine.ok) console.warn(`[rehearsal] SKIPPING the Docker rehearsal tests: ${engine.reason}`);

const REAL_LOOKING_KEY = 'sk-rehearsal-0123456789abcdefghijklmnop';

describe.skipIf(!engine.ok)(engine.ok ? 'pod rehearsal in Docker' : `pod rehearsal in Docker (SKIPPED: ${engine.reason})`, () => {
  let synthDir = '';
  let imageId = '';
  const temps: string[] = [];

  beforeAll(async () => {
    imageId = (await ensureAppImage()).id;
    synthDir = synthToTemp();
    temps.push(synthDir);
  }, 300_000);

  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  async function run(profile: 'dev' | 'prod', overrides: Partial<RehearsalOptions> = {}): Promise<RehearsalResult> {
    const result = await rehearse({
      dir: join(synthDir, profile),
      profile,
      deploymentName: 'rag-api',
      image: imageId,
      env: {},
      dotEnv: {},
      timeoutSeconds: 60,
      runtime,
      ...overrides,
    });
    console.log(formatSummary(result));
    return result;
  }

  function modified(profile: 'dev' | 'prod', ...changes: Parameters<typeof profileWith>[1][]): string {
    const dir = profileWith(join(synthDir, profile), (d, c) => changes.forEach((change) => change(d, c)));
    temps.push(dir);
    return dir;
  }

  it('dev: comes up Ready on the probe schedule, drains (readiness 503) on SIGTERM and exits 0 within the grace period', async () => {
    const result = await run('dev');
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    const t = result.timings;
    expect(t.appReadyMs).toBeGreaterThan(0);
    expect(t.appReadyMs).toBeLessThan(10_000);
    // readiness initialDelaySeconds is 5 in the chart: the pod cannot be Ready before that
    expect(t.podReadyMs).toBeGreaterThanOrEqual(5000);
    expect(t.sigtermToNotReadyMs).toBeDefined();
    expect(t.sigtermToExitMs).toBeLessThan(15_000);
    expect(result.steps.map((s) => s.title).join('\n')).toMatch(/SIGTERM → readiness \/health\/ready answered HTTP 503/);
  }, 90_000);

  it('prod: a real secret from the environment reaches the app (it refuses placeholders), and never the report', async () => {
    const result = await run('prod', { env: { OPENAI_API_KEY: REAL_LOOKING_KEY } });
    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain(REAL_LOOKING_KEY);
  }, 90_000);

  it('prod without a real secret: the app exits 1 and the rehearsal reports CrashLoopBackOff with its logs', async () => {
    const result = await run('prod', { dir: modified('prod', fastProbes) });
    expect(result.ok).toBe(false);
    expect(result.failure?.reason).toMatch(/^CrashLoopBackOff: the container exited 1/);
    expect(result.failure?.exit).toMatchObject({ code: 1, oomKilled: false });
    expect(result.failure?.logs.join('\n')).toMatch(/OPENAI_API_KEY: .*placeholder, refused when APP_ENV=prod/);
  }, 60_000);

  it('a startup probe path the app does not serve fails with that probe and the 404', async () => {
    const dir = modified('dev', fastProbes, (_d, c) => {
      if (!c.startupProbe?.httpGet) throw new Error('chart has no httpGet startup probe');
      c.startupProbe.httpGet.path = '/healthz';
      c.startupProbe.failureThreshold = 3;
    });
    const result = await run('dev', { dir });
    expect(result.ok).toBe(false);
    expect(result.failure?.phase).toBe('startup');
    expect(result.failure?.reason).toMatch(/startup probe GET \/healthz on port 8000 failed 3 time\(s\) in a row \(last: HTTP 404\)/);
    expect(result.failure?.probe).toMatch(/^startup probe GET \/healthz/);
    expect(result.failure?.logs.join('\n')).toContain(STARTUP_LINE);
  }, 60_000);

  it('a memory limit below what the app needs is OOMKilled, and says so', async () => {
    const dir = modified('dev', fastProbes, (_d, c) => {
      c.resources = { ...c.resources, limits: { ...c.resources?.limits, memory: '16Mi' } };
    });
    const result = await run('dev', { dir });
    expect(result.ok).toBe(false);
    expect(result.failure?.exit?.oomKilled).toBe(true);
    expect(result.failure?.reason).toMatch(/CrashLoopBackOff: the container OOMKilled/);
  }, 60_000);

  it('a grace period shorter than the drain gets the container killed, which the rehearsal reports', async () => {
    const dir = modified('dev', fastProbes, (d) => {
      d.spec.template.spec.terminationGracePeriodSeconds = 2; // the app drains for SHUTDOWN_DRAIN_SECONDS=5
    });
    const result = await run('dev', { dir });
    expect(result.ok).toBe(false);
    expect(result.failure?.phase).toBe('shutdown');
    expect(result.failure?.reason).toMatch(/did not exit within terminationGracePeriodSeconds \(2s\) and was killed/);
  }, 60_000);

  it('an image that is not in the engine is ErrImageNeverPull with the build command as fix', async () => {
    const result = await run('dev', { image: imageRef('does-not-exist') });
    expect(result.failure?.reason).toMatch(new RegExp(`^ErrImageNeverPull: image ${imageRef('does-not-exist')} is not in the Docker engine`));
    expect(result.failure?.fix).toContain('nx run rag-api:docker');
  }, 30_000);
});
