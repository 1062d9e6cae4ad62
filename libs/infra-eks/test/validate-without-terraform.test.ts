import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TERRAFORM_INSTALL_URL } from '../src/terraform/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-env-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('validate without terraform', () => {
  it('validate CLI: clear message, still reports policy and cost, exits non-zero', () => {
    const lib = resolve(import.meta.dirname, '..');
    const out = join(tmp, 'cli-out');
    const run = spawnSync(process.execPath, ['--disable-warning=DEP0044', '--import', 'tsx', 'src/cli/validate.ts', '--out', out], {
      cwd: lib,
      env: { ...process.env, PATH: join(tmp, 'empty'), TERRAFORM_BIN: '', LLMOPS_EKS_ADMIN_CIDRS: '' },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('terraform MISSING: terraform not found (not on PATH)');
    expect(run.stdout).toContain(TERRAFORM_INSTALL_URL);
    expect(run.stdout).toMatch(/policy dev\n/);
    expect(run.stdout).toMatch(/\$\d+\.\d\d {2}total/);
    expect(run.stdout).toContain('infra-eks validate FAILED (terraform missing)');
    expect(readFileSync(join(out, 'dev', 'cdk.tf.json'), 'utf8')).toContain('aws_eks_cluster');
  });
});
