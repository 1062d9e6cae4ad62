import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

function runSynth(out: string, env: Record<string, string> = {}) {
  const { AWS_ACCOUNT_ID: _a, RAG_API_IMAGE: _i, ...base } = process.env;
  return spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cli/synth.ts', '--out', out],
    { cwd: root, encoding: 'utf8', env: { ...base, ...env } },
  );
}

describe('synth CLI', () => {
  it('writes both profiles, reports waivers with reasons and the placeholder IRSA warning', () => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const run = runSynth(out);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\[dev\] OK: 6 objects/);
    expect(run.stdout).toMatch(/\[prod\] OK: 9 objects/);
    expect(run.stdout).toMatch(/WAIVED K8S-IMG-001 .*: minikube/);
    expect(run.stdout).toMatch(/WARN K8S-IAM-001 ServiceAccount\/rag-api .*000000000000/);
    expect(existsSync(join(out, 'dev/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(out, 'prod/horizontalpodautoscaler-rag-api.yaml'))).toBe(true);
  });

  it('no warning with AWS_ACCOUNT_ID', () => {
    const run = runSynth(mkdtempSync(join(tmpdir(), 'k8s-synth-')), { AWS_ACCOUNT_ID: '123456789012' });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('K8S-IAM-001');
  });

  it('fails on an unwaived policy error, naming object, path and fix, and writes nothing for that profile', () => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const run = runSynth(out, { RAG_API_IMAGE: 'llmops-rag-api:latest' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL K8S-IMG-001 Deployment\/rag-api \/spec\/template\/spec\/containers\/0\/image: .* — fix: /);
    expect(run.stderr).toContain('[prod] not written');
    expect(existsSync(join(out, 'prod'))).toBe(false);
    expect(existsSync(join(out, 'dev/kustomization.yaml'))).toBe(true);
  });
});
