import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliConfigHcl, terraformEnvironment } from '../src/terraform/cli-config.js';
import { findTerraform, requireTerraform, TERRAFORM_INSTALL_URL } from '../src/terraform/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-env-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const opts = (baseEnv: NodeJS.ProcessEnv) => ({ baseEnv, cliConfigFile: join(tmp, 'rc', '.terraformrc'), pluginCacheDir: join(tmp, 'cache') });

describe('terraform CLI config', () => {
  it('with LLMOPS_TF_PLUGIN_MIRROR: writes a filesystem-mirror config for hashicorp/aws and points terraform at it', () => {
    const mirror = mkdtempSync(join(tmp, 'mirror-'));
    const { env, providerSource } = terraformEnvironment(opts({ LLMOPS_TF_PLUGIN_MIRROR: mirror, TF_CLI_CONFIG_FILE: '/root/.terraformrc', TF_PLUGIN_CACHE_DIR: '/x' }));
    expect(env.TF_CLI_CONFIG_FILE).toBe(join(tmp, 'rc', '.terraformrc'));
    expect(env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect(providerSource).toContain(mirror);
    const hcl = readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8');
    expect(hcl).toBe(cliConfigHcl(mirror));
    expect(hcl).toContain(`path    = "${mirror}"`);
    expect(hcl).toMatch(/filesystem_mirror \{[^}]*include = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
    expect(hcl).toMatch(/direct \{\s*exclude = \["registry\.terraform\.io\/hashicorp\/aws"\]/);
    expect(env.TF_IN_AUTOMATION).toBe('1');
  });

  it('a mirror that does not exist is an error, not a silent download', () => {
    expect(() => terraformEnvironment(opts({ LLMOPS_TF_PLUGIN_MIRROR: join(tmp, 'nope') }))).toThrow(/is not a directory/);
  });

  it('without a mirror: drops a TF_CLI_CONFIG_FILE that does not exist, keeps one that does, shares a plugin cache', () => {
    const missing = terraformEnvironment(opts({ TF_CLI_CONFIG_FILE: '/root/.terraformrc' }));
    expect('TF_CLI_CONFIG_FILE' in missing.env).toBe(false);
    expect(missing.notes.join()).toContain('/root/.terraformrc does not exist');
    expect(missing.env.TF_PLUGIN_CACHE_DIR).toBe(join(tmp, 'cache'));
    const real = join(tmp, 'user.tfrc');
    writeFileSync(real, '');
    const kept = terraformEnvironment(opts({ TF_CLI_CONFIG_FILE: real, TF_PLUGIN_CACHE_DIR: '/home/u/.tf-cache' }));
    expect(kept.env.TF_CLI_CONFIG_FILE).toBe(real);
    expect(kept.env.TF_PLUGIN_CACHE_DIR).toBe('/home/u/.tf-cache');
    expect(kept.notes).toEqual([]);
  });
});

describe('missing terraform', () => {
  it('is found via TERRAFORM_BIN or PATH, and reported with the install link when absent', () => {
    expect(findTerraform({ PATH: join(tmp, 'empty') })).toBeUndefined();
    expect(() => requireTerraform({ PATH: join(tmp, 'empty') })).toThrow(TERRAFORM_INSTALL_URL);
    expect(() => requireTerraform({ TERRAFORM_BIN: join(tmp, 'nope'), PATH: '' })).toThrow(/TERRAFORM_BIN=.* is not executable/);
  });

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
