import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import { stackName } from '../contract/outputs.js';
import { allEnvironmentConfigs, type EnvironmentConfig } from './env-config.js';
import { EnvironmentStack } from './environment-stack.js';

export interface SynthesizedStack {
  readonly name: string;
  readonly config: EnvironmentConfig;
  /** Directory holding cdk.tf.json: the terraform working directory. */
  readonly dir: string;
  readonly file: string;
  /** The construct tree, for tools that name resources by address (tf-test). */
  readonly stack: EnvironmentStack;
}

/**
 * Synthesizes one stack per config into `<outDir>/<stack>/cdk.tf.json`.
 * cdktf writes `<outdir>/stacks/<stack>/`; the files are moved up one level
 * so the layout is the same as plain terraform expects (a directory per root
 * module) and the staging folder is removed.
 */
export function synthesizeStacks(outDir: string, configs: readonly EnvironmentConfig[] = allEnvironmentConfigs()): SynthesizedStack[] {
  const staging = join(outDir, '.cdktf-staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const app = new App({ outdir: staging, stackTraces: false });
  const built = configs.map((config) => new EnvironmentStack(app, config));
  app.synth();
  const result = built.map((stack) => {
    const config = stack.config;
    const name = stackName(config.env);
    const dir = join(outDir, name);
    // A clean directory: no lock file or state left over from another run.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(join(staging, 'stacks', name, 'cdk.tf.json'), join(dir, 'cdk.tf.json'));
    return { name, config, dir, file: join(dir, 'cdk.tf.json'), stack };
  });
  rmSync(staging, { recursive: true, force: true });
  return result;
}
