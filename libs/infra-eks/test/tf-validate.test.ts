import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesizeStacks } from '../src/stacks/app.js';
import { allEnvironmentConfigs } from '../src/stacks/env-config.js';
import { MIRROR_ENV } from '../src/terraform/cli-config.js';
import { findTerraform } from '../src/terraform/run.js';
import type { TfValidateReport } from '../src/terraform/validate-report.js';
import { ADMIN } from '../src/testing/stacks.js';

/**
 * The tf-validate CLI as a process, with real terraform: it validates the
 * stacks synth wrote (here: dev and a copy broken in a way only the provider
 * schema knows), fails naming the broken stack and writes its report.
 * Skipped, with the reason printed, without terraform or without the AWS
 * provider mirror.
 */
const bin = findTerraform();
const mirror = process.env[MIRROR_ENV]?.trim();
const skipReason = !bin ? 'terraform not found on PATH (or TERRAFORM_BIN)' : !mirror ? `${MIRROR_ENV} is not set (no offline provider)` : undefined;
if (skipReason) console.warn(`SKIPPED tf-validate CLI test: ${skipReason}`);

const lib = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-tf-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ['--disable-warning=DEP0044', '--import', 'tsx', 'src/cli/tf-validate.ts', ...args], { cwd: lib, env, encoding: 'utf8' });

describe('tf-validate CLI', () => {
  it.skipIf(skipReason !== undefined)('validates the synthesized stacks, fails on a broken one naming it, and records both in report.json', () => {
    const stacksDir = join(tmp, 'synth');
    const [dev] = synthesizeStacks(stacksDir, allEnvironmentConfigs({ adminCidrs: ADMIN }).slice(0, 1));
    const json = JSON.parse(readFileSync(dev!.file, 'utf8')) as {
      resource: { aws_launch_template: Record<string, { metadata_options: Record<string, unknown> }> };
    };
    Object.values(json.resource.aws_launch_template)[0]!.metadata_options.http_tokens = 'sometimes';
    mkdirSync(join(stacksDir, 'broken'));
    writeFileSync(join(stacksDir, 'broken', 'cdk.tf.json'), JSON.stringify(json));
    const out = join(tmp, 'out');

    const run = cli(['--stacks', stacksDir, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^init {6}broken, dev ok /m);
    expect(run.stdout).toMatch(/^validate {2}dev {8}ok /m);
    expect(run.stdout).toMatch(/^validate {2}broken {5}FAIL /m);
    expect(run.stdout).toMatch(/error: .*http_tokens/);
    expect(run.stdout).toContain('infra-eks tf-validate FAILED (terraform validate broken)');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as TfValidateReport;
    expect(report.failures).toEqual(['terraform validate broken']);
    expect(report.stacks.map((s) => [s.name, s.valid])).toEqual([
      ['broken', false],
      ['dev', true],
    ]);
    expect(report.terraform).toMatchObject({ bin, mirror });
    // synth's output is left as synth wrote it: terraform ran in the copies
    expect(readFileSync(join(out, 'dev', '.terraform.lock.hcl'), 'utf8')).toContain('registry.terraform.io/hashicorp/aws');
    expect(() => readFileSync(join(stacksDir, 'dev', '.terraform.lock.hcl'))).toThrow();
  });

  it('without synthesized stacks: says to run synth, exit 1, no report', () => {
    const run = cli(['--stacks', join(tmp, 'nothing'), '--out', join(tmp, 'no-out')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('infra-eks tf-validate: no synthesized stack in');
    expect(run.stderr).toContain('fix: run `npx nx run infra-eks:tf-validate` (Nx runs synth first)');
    expect(run.stdout).toBe('');
  });

  it('a bad mirror or TERRAFORM_BIN is refused before anything runs (exit 2)', () => {
    const run = cli(['--stacks', join(tmp, 'nothing'), '--out', join(tmp, 'no-out')], { ...process.env, [MIRROR_ENV]: join(tmp, 'no-mirror') });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`infra-eks tf-validate: refused before writing anything, 1 bad input:`);
    expect(run.stderr).toContain(`${MIRROR_ENV}: "${join(tmp, 'no-mirror')}" does not exist`);
  });
});
