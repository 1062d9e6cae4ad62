import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_INPUT_EXIT_CODE } from '../src/cli/input-problems.js';

/**
 * Every input variable of infra-eks is checked before anything is written:
 * named, what is wrong, the fix; exit 2, no stack trace (issue 10 item 11).
 */
const lib = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(script: string, out: string, env: Record<string, string>) {
  const clean = { ...process.env };
  for (const key of ['LLMOPS_EKS_ADMIN_CIDRS', 'LLMOPS_TF_PLUGIN_MIRROR', 'TERRAFORM_BIN']) delete clean[key];
  return spawnSync(process.execPath, ['--disable-warning=DEP0044', '--import', 'tsx', `src/cli/${script}.ts`, '--out', out], {
    cwd: lib,
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
}

/** An output directory holding a previous run's file, to prove nothing is touched. */
function previousOutput(name: string): { out: string; before: string } {
  const out = join(tmp, name);
  mkdirSync(join(out, 'dev'), { recursive: true });
  writeFileSync(join(out, 'dev', 'cdk.tf.json'), '{"previous":"run"}');
  return { out, before: JSON.stringify(readdirSync(out, { recursive: true }).sort()) };
}

function expectUntouched({ out, before }: { out: string; before: string }): void {
  expect(JSON.stringify(readdirSync(out, { recursive: true }).sort())).toBe(before);
  expect(readFileSync(join(out, 'dev', 'cdk.tf.json'), 'utf8')).toBe('{"previous":"run"}');
}

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at file:/m;

describe('input variables, checked up front', () => {
  it('LLMOPS_EKS_ADMIN_CIDRS=not-a-cidr: validate names it, says what is wrong and the fix, writes nothing, exits 2', () => {
    const previous = previousOutput('validate-out');
    const run = cli('validate', previous.out, { LLMOPS_EKS_ADMIN_CIDRS: 'not-a-cidr' });
    expect(run.status).toBe(BAD_INPUT_EXIT_CODE);
    expect(run.stderr).toContain('infra-eks validate: refused before writing anything, 1 bad input:');
    expect(run.stderr).toContain('LLMOPS_EKS_ADMIN_CIDRS: "not-a-cidr": not an IPv4 CIDR (a.b.c.d/n)');
    expect(run.stderr).toContain('fix: set LLMOPS_EKS_ADMIN_CIDRS to comma-separated IPv4 CIDRs of your admin networks, e.g. 203.0.113.7/32');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stdout).toBe('');
    expectUntouched(previous);
  });

  it('tf-test and synth report every bad variable at once, cut long values, write nothing', () => {
    const previous = previousOutput('tf-test-out');
    const long = `10.0.0.0/8,${'9'.repeat(5000)}`;
    const run = cli('tf-test', previous.out, {
      LLMOPS_EKS_ADMIN_CIDRS: long,
      LLMOPS_TF_PLUGIN_MIRROR: join(tmp, 'no-mirror'),
      TERRAFORM_BIN: join(tmp, 'no-terraform'),
    });
    expect(run.status).toBe(BAD_INPUT_EXIT_CODE);
    expect(run.stderr).toContain('infra-eks tf-test: refused before writing anything, 3 bad inputs:');
    expect(run.stderr).toMatch(/LLMOPS_EKS_ADMIN_CIDRS: "9{60}… \(5000 chars\)": not an IPv4 CIDR/);
    expect(run.stderr).toContain(`LLMOPS_TF_PLUGIN_MIRROR: "${join(tmp, 'no-mirror')}" does not exist`);
    expect(run.stderr).toContain(`TERRAFORM_BIN: "${join(tmp, 'no-terraform')}" does not exist`);
    expect(run.stderr.length).toBeLessThan(2000);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expectUntouched(previous);

    const synth = cli('synth', join(tmp, 'synth-out'), { LLMOPS_EKS_ADMIN_CIDRS: '198.51.100.0/24,0.0.0.0/0' });
    expect(synth.status).toBe(BAD_INPUT_EXIT_CODE);
    expect(synth.stderr).toContain('LLMOPS_EKS_ADMIN_CIDRS: "0.0.0.0/0" opens the Kubernetes API endpoint to the whole internet');
    expect(existsSync(join(tmp, 'synth-out'))).toBe(false);
  });
});
