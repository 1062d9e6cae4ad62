import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInputs } from './inputs.js';

/** checkInputs in-process; test/inputs.test.ts proves the CLIs refuse bad values as processes. */
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-inputs-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('checkInputs', () => {
  it('accepts good values and unset ones; refuses host bits, empty entries, a mirror without the AWS provider, a non-executable terraform', () => {
    expect(checkInputs({})).toEqual([]);
    expect(checkInputs({ LLMOPS_EKS_ADMIN_CIDRS: ' 203.0.113.7/32, 198.51.100.0/24,', TERRAFORM_BIN: '' })).toEqual([]);
    const mirror = join(tmp, 'mirror');
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws'), { recursive: true });
    expect(checkInputs({ LLMOPS_TF_PLUGIN_MIRROR: mirror })).toEqual([]);

    const problems = (env: NodeJS.ProcessEnv) => checkInputs(env).map((p) => `${p.key}: ${p.problem}`);
    expect(problems({ LLMOPS_EKS_ADMIN_CIDRS: '10.0.0.1/16' })).toEqual([
      'LLMOPS_EKS_ADMIN_CIDRS: "10.0.0.1/16": CIDR 10.0.0.1/16 has host bits set (did you mean 10.0.0.0/16?)',
    ]);
    expect(problems({ LLMOPS_EKS_ADMIN_CIDRS: '203.0.113.7/32,,198.51.100.0/24' })).toEqual(['LLMOPS_EKS_ADMIN_CIDRS: entry 2 is empty']);
    const empty = join(tmp, 'empty-mirror');
    mkdirSync(empty);
    expect(problems({ LLMOPS_TF_PLUGIN_MIRROR: empty })).toEqual([
      `LLMOPS_TF_PLUGIN_MIRROR: "${empty}" holds no registry.terraform.io/hashicorp/aws (no provider to install offline)`,
    ]);
    const notExecutable = join(tmp, 'terraform');
    writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    expect(problems({ TERRAFORM_BIN: notExecutable })).toEqual([`TERRAFORM_BIN: "${notExecutable}" is not executable`]);
  });
});
