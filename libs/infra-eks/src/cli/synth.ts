/**
 * `nx run infra-eks:synth`: writes dist/infra-eks/<stack>/cdk.tf.json for
 * every environment. Plain terraform can use the result:
 * `cd dist/infra-eks/dev && terraform init && terraform plan`.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { synthesizeStacks } from '../stacks/app.js';
import { inputsOk } from './inputs.js';
import { DEFAULT_OUT_DIR, WORKSPACE_ROOT } from './paths.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: DEFAULT_OUT_DIR } } });
const started = performance.now();
if (inputsOk('synth')) {
  try {
    const stacks = synthesizeStacks(values.out);
    for (const s of stacks) console.log(`synth  ${s.name.padEnd(5)} → ${relative(WORKSPACE_ROOT, s.file)}`);
    console.log(`synthesized ${stacks.length} stacks in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`synth failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
