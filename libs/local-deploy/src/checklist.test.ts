import { describe, expect, it } from 'vitest';
import { Checklist, formatChecklist, formatDuration } from './checklist.js';

describe('formatChecklist', () => {
  it('prints ✓/✗/- with aligned names, durations and details', () => {
    const text = formatChecklist([
      { name: 'Tools on PATH', ok: true, durationMs: 3, detail: 'docker, kubectl, minikube' },
      { name: 'Build image (nx run rag-api:docker)', ok: true, skipped: true, durationMs: 0, detail: '--skip-build' },
      { name: 'Rollout of deployment/rag-api', ok: true, durationMs: 23_400, detail: '1/1 updated, 1/1 available' },
      { name: 'GET /health/ready', ok: false, durationMs: 41, detail: 'HTTP 503' },
    ]);
    expect(text).toBe(
      [
        'Deploy checklist:',
        '  ✓ Tools on PATH .......................     3ms  docker, kubectl, minikube',
        '  - Build image (nx run rag-api:docker) . skipped  --skip-build',
        '  ✓ Rollout of deployment/rag-api .......   23.4s  1/1 updated, 1/1 available',
        '  ✗ GET /health/ready ...................    41ms  HTTP 503',
        '  1 of 4 failed in 23.4s',
      ].join('\n'),
    );
  });

  it('prints a warning as ⚠, counts it as passed and says how many warned', () => {
    const text = formatChecklist([
      { name: 'GET /', ok: true, durationMs: 12, detail: '{"message":"Welcome to LLMOps RAG Pipeline"}' },
      { name: 'Pod CPU and memory', ok: true, warning: true, durationMs: 1500, detail: 'memory 140Mi above its 128Mi request' },
    ]);
    expect(text.split('\n').slice(1)).toEqual([
      '  ✓ GET / ..............    12ms  {"message":"Welcome to LLMOps RAG Pipeline"}',
      '  ⚠ Pod CPU and memory .    1.5s  memory 140Mi above its 128Mi request',
      '  all 2 checks passed, 1 with a warning (⚠) in 1.5s',
    ]);
  });

  it('formats durations for humans', () => {
    expect([formatDuration(999), formatDuration(1500), formatDuration(125_000)]).toEqual(['999ms', '1.5s', '2m05s']);
  });
});

describe('Checklist.step', () => {
  it('records the thrown error as ✗ with its first line, and rethrows', async () => {
    let t = 0;
    const checklist = new Checklist(() => (t += 100));
    await expect(
      checklist.step('Apply', async () => {
        throw new Error('server-side apply of Deployment/rag-api failed: forbidden\nfix: use a local cluster');
      }),
    ).rejects.toThrow('forbidden');
    expect(checklist.results).toEqual([{ name: 'Apply', ok: false, durationMs: 100, detail: 'server-side apply of Deployment/rag-api failed: forbidden' }]);
    expect(checklist.failed).toBe(true);
  });

  it('records a step that returns a warning as ⚠, not failed', async () => {
    const checklist = new Checklist(() => 0);
    expect(await checklist.step('Pod CPU and memory', async () => ({ detail: 'near the limit', value: 7, warning: true }))).toBe(7);
    expect(checklist.results).toEqual([{ name: 'Pod CPU and memory', ok: true, warning: true, durationMs: 0, detail: 'near the limit' }]);
    expect(checklist.failed).toBe(false);
  });
});
