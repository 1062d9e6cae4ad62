import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Names a directory holding providers in terraform's unpacked mirror layout
 * (`registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`). When set,
 * validate writes a CLI config that installs hashicorp/aws from it and never
 * from the registry: CI here sets it to /opt/tf-plugins (no registry access).
 * Unset, terraform downloads the provider as on any user's machine.
 */
export const MIRROR_ENV = 'LLMOPS_TF_PLUGIN_MIRROR';
export const MIRRORED_PROVIDERS = ['registry.terraform.io/hashicorp/aws'] as const;

export function cliConfigHcl(mirrorDir: string, providers: readonly string[] = MIRRORED_PROVIDERS): string {
  const list = `[${providers.map((p) => JSON.stringify(p)).join(', ')}]`;
  return [
    '# Written by libs/infra-eks validate because LLMOPS_TF_PLUGIN_MIRROR is set.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = ${list}`,
    '  }',
    '  direct {',
    `    exclude = ${list}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface TerraformEnvironment {
  readonly env: NodeJS.ProcessEnv;
  /** One line for the report: where providers come from. */
  readonly providerSource: string;
  readonly notes: readonly string[];
}

export interface TerraformEnvironmentOptions {
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Where the CLI config file is written (e.g. dist/infra-eks/.terraformrc). */
  readonly cliConfigFile: string;
  /** Shared provider download cache when there is no mirror (unless the user set TF_PLUGIN_CACHE_DIR). */
  readonly pluginCacheDir: string;
}

/**
 * The environment terraform child processes run with:
 * - mirror set → our CLI config file (overrides any inherited TF_CLI_CONFIG_FILE);
 *   no plugin cache (it would copy the 700 MB provider instead of linking it);
 * - no mirror, TF_CLI_CONFIG_FILE names a missing file → unset it for the child
 *   (terraform would warn on every command), and download as usual through a
 *   shared plugin cache so the stacks and tests download the provider once.
 */
export function terraformEnvironment(options: TerraformEnvironmentOptions): TerraformEnvironment {
  const base = options.baseEnv ?? process.env;
  const env: NodeJS.ProcessEnv = { ...base, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const notes: string[] = [];
  const mirror = base[MIRROR_ENV]?.trim();
  if (mirror) {
    const dir = resolve(mirror);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new Error(`${MIRROR_ENV}=${mirror} is not a directory (expected a terraform provider mirror such as /opt/tf-plugins)`);
    }
    mkdirSync(dirname(options.cliConfigFile), { recursive: true });
    writeFileSync(options.cliConfigFile, cliConfigHcl(dir));
    env.TF_CLI_CONFIG_FILE = options.cliConfigFile;
    delete env.TF_PLUGIN_CACHE_DIR;
    return { env, providerSource: `mirror ${dir} (CLI config ${options.cliConfigFile})`, notes };
  }
  for (const key of ['TF_CLI_CONFIG_FILE', 'TERRAFORM_CONFIG'] as const) {
    const file = base[key];
    if (file !== undefined && !existsSync(file)) {
      delete env[key];
      notes.push(`${key}=${file} does not exist: unset for terraform`);
    }
  }
  if (!base.TF_PLUGIN_CACHE_DIR) {
    mkdirSync(options.pluginCacheDir, { recursive: true });
    env.TF_PLUGIN_CACHE_DIR = options.pluginCacheDir;
  }
  return { env, providerSource: `registry download (plugin cache ${env.TF_PLUGIN_CACHE_DIR})`, notes };
}
