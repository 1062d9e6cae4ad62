import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliConfigHcl, terraformEnvironment } from './cli-config.js';

const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-env-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const opts = (baseEnv: NodeJS.ProcessEnv) => ({ baseEnv, cliConfigFile: join(tmp, 'rc', '.terraformrc'), pluginCacheDir: join(tmp, 'cache') });

describe('terraform CLI config', () => {
  it('with LLMOPS_TF_PLUGIN_MIRROR: writes a filesystem-mirror config for hashicorp/aws and points terraform at it', () => {
    const mirror = mkdtempSync(join(tmp, 'mirror-'));
    const { env, providerSource } = terraformEnvironment(
      opts({ LLMOPS_TF_PLUGIN_MIRROR: mirror, TF_CLI_CONFIG_FILE: '/root/.terraformrc', TF_PLUGIN_CACHE_DIR: '/x' }),
    );
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
