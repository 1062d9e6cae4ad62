import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTerraform, requireTerraform, TERRAFORM_INSTALL_URL } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-find-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('missing terraform', () => {
  it('is found via TERRAFORM_BIN or PATH, and reported with the install link when absent', () => {
    expect(findTerraform({ PATH: join(tmp, 'empty') })).toBeUndefined();
    expect(() => requireTerraform({ PATH: join(tmp, 'empty') })).toThrow(TERRAFORM_INSTALL_URL);
    expect(() => requireTerraform({ TERRAFORM_BIN: join(tmp, 'nope'), PATH: '' })).toThrow(/TERRAFORM_BIN=.* is not executable/);
  });
});
