import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reusableTfValidateReport, writeTfValidateReport } from './validate-report.js';
import type { TerraformStepResult } from './validate-step.js';

/** validate shows tf-validate's recorded terraform lines only for exactly the stacks, terraform and mirror they were made with. */
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const terraform = join(tmp, 'terraform');
writeFileSync(terraform, '#!/bin/sh\n');
chmodSync(terraform, 0o755);
const otherTerraform = join(tmp, 'terraform-other');
writeFileSync(otherTerraform, '#!/bin/sh\n');
chmodSync(otherTerraform, 0o755);

function stack(name: string, json: string) {
  mkdirSync(join(tmp, name), { recursive: true });
  writeFileSync(join(tmp, name, 'cdk.tf.json'), json);
  return { name, file: join(tmp, name, 'cdk.tf.json') };
}

const step: TerraformStepResult = {
  terraform: { bin: terraform, version: '1.11.4', mirror: '/opt/tf-plugins' },
  stacks: [
    { name: 'dev', init: true, valid: true },
    { name: 'prod', init: true, valid: true },
  ],
  failures: [],
  lines: ['terraform 1.11.4 (…); providers: mirror /opt/tf-plugins', 'validate  dev        ok   3.1 s'],
};
const env = { TERRAFORM_BIN: terraform, LLMOPS_TF_PLUGIN_MIRROR: '/opt/tf-plugins' };

describe('tf-validate report reuse', () => {
  it('is reused for the same stack JSON, terraform and mirror, and for nothing else', () => {
    const stacks = [stack('dev', '{"a":1}'), stack('prod', '{"b":2}')];
    const file = join(tmp, 'report.json');
    writeTfValidateReport(file, step, stacks);

    expect(reusableTfValidateReport(file, stacks, env)?.lines).toEqual(step.lines);
    // a stack changed after tf-validate ran
    const changedProd = { name: 'prod', file: stack('prod-changed', '{"b":3}').file };
    expect(reusableTfValidateReport(file, [stacks[0]!, changedProd], env)).toBeUndefined();
    // a stack more or fewer
    expect(reusableTfValidateReport(file, [stacks[0]!], env)).toBeUndefined();
    // another terraform binary, no terraform, another mirror or none
    expect(reusableTfValidateReport(file, stacks, { ...env, TERRAFORM_BIN: otherTerraform })).toBeUndefined();
    expect(reusableTfValidateReport(file, stacks, { PATH: join(tmp, 'empty'), LLMOPS_TF_PLUGIN_MIRROR: '/opt/tf-plugins' })).toBeUndefined();
    expect(reusableTfValidateReport(file, stacks, { ...env, LLMOPS_TF_PLUGIN_MIRROR: '/elsewhere' })).toBeUndefined();
    expect(reusableTfValidateReport(file, stacks, { TERRAFORM_BIN: terraform })).toBeUndefined();
    // no report, or not a report
    expect(reusableTfValidateReport(join(tmp, 'missing.json'), stacks, env)).toBeUndefined();
    writeFileSync(join(tmp, 'garbage.json'), 'not json');
    expect(reusableTfValidateReport(join(tmp, 'garbage.json'), stacks, env)).toBeUndefined();
  });

  it('a recorded failure is reused as a failure (validate still fails)', () => {
    const stacks = [stack('dev', '{"a":1}')];
    const file = join(tmp, 'failed.json');
    writeTfValidateReport(file, { ...step, stacks: [{ name: 'dev', init: true, valid: false }], failures: ['terraform validate dev'] }, stacks);
    expect(reusableTfValidateReport(file, stacks, env)?.failures).toEqual(['terraform validate dev']);
  });
});
