import { Testing } from 'cdktf';
import type { StackEnv } from '../contract/outputs.js';
import { environmentConfig, type ConfigInputs } from '../stacks/env-config.js';
import { EnvironmentStack } from '../stacks/environment-stack.js';
import { resourcesOf, type TfBlock, type TfJson } from '../policy/tf-json.js';

export const ADMIN = ['203.0.113.7/32'];

/** The synthesized JSON of one environment stack (cdktf Testing.synth, validations on). */
export function synthEnv(env: StackEnv, inputs: ConfigInputs = { adminCidrs: ADMIN }): { json: string; tf: TfJson } {
  const stack = new EnvironmentStack(Testing.app(), environmentConfig(env, inputs));
  const json = Testing.synth(stack, true);
  return { json, tf: JSON.parse(json) as TfJson };
}

export function only(tf: TfJson, type: string): { address: string; body: TfBlock } {
  const all = resourcesOf(tf, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0] as { address: string; body: TfBlock };
}

/** A deep copy to break on purpose. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
