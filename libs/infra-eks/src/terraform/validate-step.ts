import { MIRROR_ENV, terraformEnvironment } from './cli-config.js';
import { findTerraform, initAndValidate, TerraformMissingError, terraformVersion, type StackDir } from './run.js';

/** What the terraform step did, as recorded in tf-validate's report.json. */
export interface TerraformStepResult {
  /** The terraform that ran, and the mirror it installed providers from; null when terraform is missing. */
  readonly terraform: { readonly bin: string; readonly version: string; readonly mirror: string | null } | null;
  readonly stacks: readonly { readonly name: string; readonly init: boolean; readonly valid: boolean }[];
  /** What failed (`terraform validate dev`, `terraform missing`, ...); empty when every stack is valid. */
  readonly failures: readonly string[];
  /** Every line the step printed, in order. */
  readonly lines: readonly string[];
}

export interface TerraformStepOptions {
  /** Where the CLI config naming the provider mirror is written. */
  readonly cliConfigFile: string;
  /** Shared provider download cache when there is no mirror. */
  readonly pluginCacheDir: string;
  /** Parent of the TF_DATA_DIRs. */
  readonly dataRoot: string;
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** The mirror the environment names (trimmed), or null: part of what makes a recorded result reusable. */
export function mirrorOf(env: NodeJS.ProcessEnv = process.env): string | null {
  return env[MIRROR_ENV]?.trim() || null;
}

/**
 * `terraform init -backend=false` (once per provider set) and `terraform
 * validate` on every stack; never plan or apply. Prints as it goes and keeps
 * every printed line, so a later `validate` can show them from the report.
 */
export async function terraformValidateStep(stacks: readonly StackDir[], options: TerraformStepOptions): Promise<TerraformStepResult> {
  const env = options.env ?? process.env;
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    options.log(line);
  };
  const bin = findTerraform(env);
  if (!bin) {
    const error = new TerraformMissingError(env.TERRAFORM_BIN ? `TERRAFORM_BIN=${env.TERRAFORM_BIN} is not executable` : 'not on PATH');
    say(`terraform MISSING: ${error.message}`);
    return { terraform: null, stacks: [], failures: ['terraform missing'], lines };
  }
  const tf = terraformEnvironment({ baseEnv: env, cliConfigFile: options.cliConfigFile, pluginCacheDir: options.pluginCacheDir });
  const version = await terraformVersion(bin, tf.env);
  say(`terraform ${version} (${bin}); providers: ${tf.providerSource}`);
  for (const note of tf.notes) say(`note      ${note}`);
  const checks = await initAndValidate(stacks, { bin, env: tf.env, dataRoot: options.dataRoot, onProgress: say });
  const failures: string[] = [];
  for (const c of checks) {
    if (!c.init.ok) {
      failures.push(`terraform init ${c.name}`);
      say(
        c.init.output
          .trim()
          .split('\n')
          .map((l) => `          ${l}`)
          .join('\n'),
      );
    } else if (!c.validate?.ok) {
      failures.push(`terraform validate ${c.name}`);
      for (const d of c.validate?.diagnostics ?? [])
        say(`          ${d.severity}: ${d.summary}${d.where ? ` (${d.where})` : ''}${d.detail ? ` — ${d.detail}` : ''}`);
    }
  }
  return {
    terraform: { bin, version, mirror: mirrorOf(env) },
    stacks: checks.map((c) => ({ name: c.name, init: c.init.ok, valid: c.validate?.ok ?? false })),
    failures,
    lines,
  };
}
