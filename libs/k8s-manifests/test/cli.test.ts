import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

function runSynth(out: string, env: Record<string, string> = {}) {
  const { AWS_ACCOUNT_ID: _a, RAG_API_IMAGE: _i, ...base } = process.env;
  return spawnSync(
    join(root, 'node_modules/.bin/tsx'),
    ['--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cmd/synth.ts', '--out', out],
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

/** Every file under `dir` with its bytes and mtime: "nothing written" means this does not change. */
function snapshot(dir: string): Record<string, { text: string; mtimeMs: number }> {
  const files: Record<string, { text: string; mtimeMs: number }> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length + 1)] = { text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs };
  }
  return files;
}

/** An output directory holding a complete earlier run of both profiles. */
const previousRun = (() => {
  let dir: string | undefined;
  return () => {
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), 'k8s-synth-previous-'));
      const run = runSynth(dir, { AWS_ACCOUNT_ID: '123456789012' });
      if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
    }
    const copy = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    return copy;
  };
})();

const STACK_FRAME = /^\s+at .+[(:]\d+/m;

describe('synth CLI: bad input variables (issue 10 items 6, 11)', () => {
  it('RAG_API_IMAGE that breaks the reference grammar: exit 2, named with problem and fix, no stack, nothing written', () => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const run = runSynth(out, { RAG_API_IMAGE: 'not_a_valid_IMAGE::' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('RAG_API_IMAGE="not_a_valid_IMAGE::" is not a valid image reference: tag ":" is invalid');
    expect(run.stderr).toMatch(/fix: export RAG_API_IMAGE=.*llmops-rag-api:<version>/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).toBe('');
    expect(readdirSync(out)).toEqual([]);
  });

  it.each([
    ['an upper-case repository', 'LLMOPS-RAG-API:0.1.0', 'must be lower-case'],
    ['a short digest', 'llmops-rag-api@sha256:abc', 'digest "sha256:abc" is invalid'],
    ['an upper-case digest', `llmops-rag-api@sha256:${'AB'.repeat(32)}`, 'sha256 digest is 64 lower-case hex digits'],
    ['a bad registry port', 'registry.example.com:port/llmops-rag-api:1', 'is not a valid host[:port]'],
  ])('RAG_API_IMAGE with %s is refused before synth', (_case, image, problem) => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const run = runSynth(out, { RAG_API_IMAGE: image });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(problem);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a registry:port, nested path, tag and digest reference is written into the prod Deployment as given', () => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const image = `registry.example.com:5000/team/llmops-rag-api:1.2.3@sha256:${'0123456789abcdef'.repeat(4)}`;
    const run = runSynth(out, { RAG_API_IMAGE: ` ${image} `, AWS_ACCOUNT_ID: '123456789012' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(join(out, 'prod/deployment-rag-api.yaml'), 'utf8')).toContain(`image: ${image}\n`);
    expect(readFileSync(join(out, 'dev/deployment-rag-api.yaml'), 'utf8')).toContain('image: llmops-rag-api:latest\n');
  });

  it('AWS_ACCOUNT_ID=abc: exit 2, named, no stack trace, dev/ not rewritten, the earlier prod/ removed', () => {
    const out = previousRun();
    const before = snapshot(join(out, 'dev'));
    const run = runSynth(out, { AWS_ACCOUNT_ID: 'abc' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AWS_ACCOUNT_ID="abc" is not an AWS account id: it must be exactly 12 digits');
    expect(run.stderr).toContain('fix: export AWS_ACCOUNT_ID=<12 digits>');
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout).toBe('');
    expect(snapshot(join(out, 'dev'))).toEqual(before);
    expect(readdirSync(out)).toEqual(['dev']);
    expect(run.stderr).toContain(`[prod] removed ${join(out, 'prod')}/ from an earlier run (AWS_ACCOUNT_ID is invalid)`);
  });

  it('every bad variable is named at once, each echoed value cut short', () => {
    const out = mkdtempSync(join(tmpdir(), 'k8s-synth-'));
    const run = runSynth(out, { AWS_ACCOUNT_ID: '1'.repeat(25_000), RAG_API_IMAGE: 'x'.repeat(25_000) });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AWS_ACCOUNT_ID="1111');
    expect(run.stderr).toContain('(25000 bytes) is not an AWS account id');
    expect(run.stderr).toContain('RAG_API_IMAGE="xxxx');
    expect(run.stderr.length).toBeLessThan(1_500);
    expect(readdirSync(out)).toEqual([]);
  });

  it('a bad flag or profile is a usage error (exit 2), not a stack trace', () => {
    for (const args of [['--profile', 'staging'], ['--bogus']]) {
      const run = spawnSync(
        join(root, 'node_modules/.bin/tsx'),
        ['--tsconfig', 'libs/k8s-manifests/tsconfig.json', 'libs/k8s-manifests/src/cmd/synth.ts', ...args],
        { cwd: root, encoding: 'utf8' },
      );
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^synth: .*\nusage: synth/);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }
  });
});

describe('synth CLI: a failed profile leaves no directory that looks valid (issue 10 item 7)', () => {
  it('prod failing validation: dev/ is fresh, the earlier prod/ is removed and the removal is reported', () => {
    const out = previousRun();
    const devBefore = snapshot(join(out, 'dev'));
    const run = runSynth(out, { RAG_API_IMAGE: 'llmops-rag-api:latest' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\[dev\] OK/);
    expect(run.stderr).toContain(`[prod] removed ${join(out, 'prod')}/ from an earlier run (it failed validation), so it cannot be applied by mistake`);
    expect(readdirSync(out)).toEqual(['dev']);
    const devAfter = snapshot(join(out, 'dev'));
    expect(Object.keys(devAfter)).toEqual(Object.keys(devBefore));
    for (const file of Object.keys(devAfter)) expect(devAfter[file]!.mtimeMs).toBeGreaterThan(devBefore[file]!.mtimeMs);
  });
});
