import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { seconds } from './run.js';
import { writeTfValidateReport, type TfValidateReport } from './validate-report.js';
import { terraformValidateStep } from './validate-step.js';

export interface TfValidateOptions {
  /** Where synth wrote `<stack>/cdk.tf.json`. */
  readonly stacksDir: string;
  /** Where the copies, the CLI config and report.json go. */
  readonly outDir: string;
  /** Parent of terraform's data dirs and plugin cache (outside the Nx outputs). */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Shows paths in progress lines relative to the workspace. */
  readonly relativePath: (path: string) => string;
}

/** The stacks synth wrote: every directory under `stacksDir` holding a cdk.tf.json, by name. */
export function synthesizedStacks(stacksDir: string): string[] {
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, 'cdk.tf.json')))
    .map((d) => d.name)
    .sort();
}

/**
 * `terraform init -backend=false` + `terraform validate` on the stacks synth
 * wrote, in copies under `outDir/<stack>/` (synth's output stays exactly as
 * synth wrote it); writes `outDir/report.json`. Undefined when there is no
 * synthesized stack to validate.
 */
export async function tfValidate(options: TfValidateOptions): Promise<TfValidateReport | undefined> {
  const started = performance.now();
  const names = synthesizedStacks(options.stacksDir);
  if (names.length === 0) return undefined;
  const { log, outDir } = options;
  log('infra-eks tf-validate (terraform init -backend=false + validate on the synthesized stacks; never plan/apply)');
  rmSync(join(outDir, 'report.json'), { force: true });
  const stacks = names.map((name) => {
    const dir = join(outDir, name);
    // A clean directory: no lock file left over from another run.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(options.stacksDir, name, 'cdk.tf.json'), join(dir, 'cdk.tf.json'));
    return { name, dir, file: join(dir, 'cdk.tf.json') };
  });
  log(`stacks    ${names.join(', ').padEnd(10)} ${options.relativePath(options.stacksDir)}/<stack>/cdk.tf.json → ${options.relativePath(outDir)}/<stack>/`);
  const step = await terraformValidateStep(stacks, {
    cliConfigFile: join(outDir, '.terraformrc'),
    pluginCacheDir: join(options.workDir, 'plugin-cache'),
    dataRoot: join(options.workDir, 'terraform-data'),
    log,
  });
  const report = writeTfValidateReport(join(outDir, 'report.json'), step, stacks);
  const elapsed = seconds(performance.now() - started);
  if (report.failures.length > 0) log(`\ninfra-eks tf-validate FAILED (${report.failures.join('; ')}) in ${elapsed}`);
  else log(`\ninfra-eks tf-validate ok: ${stacks.length} stacks valid in ${elapsed}`);
  return report;
}
