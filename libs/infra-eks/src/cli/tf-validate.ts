/**
 * `nx run infra-eks:tf-validate`: `terraform init -backend=false` (once,
 * shared) + `terraform validate` on the stacks `synth` wrote to
 * dist/infra-eks/<stack>/cdk.tf.json (Nx runs synth first); never plans or
 * applies. Writes dist/infra-eks-tf-validate/report.json, which validate
 * shows instead of running terraform again. Exit 1 when a stack is invalid
 * or terraform is missing, 2 on a bad input variable.
 *
 * Environment: LLMOPS_TF_PLUGIN_MIRROR, TERRAFORM_BIN (as validate).
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { tfValidate } from '../terraform/tf-validate.js';
import { noInputProblems } from './input-problems.js';
import { DEFAULT_OUT_DIR, DEFAULT_TF_VALIDATE_OUT_DIR, TERRAFORM_WORK_DIR, WORKSPACE_ROOT } from './paths.js';
import { terraformInputProblems } from './terraform-inputs.js';

const { values } = parseArgs({
  options: { stacks: { type: 'string', default: DEFAULT_OUT_DIR }, out: { type: 'string', default: DEFAULT_TF_VALIDATE_OUT_DIR } },
});
if (noInputProblems('tf-validate', terraformInputProblems())) {
  const report = await tfValidate({
    stacksDir: values.stacks,
    outDir: values.out,
    workDir: TERRAFORM_WORK_DIR,
    log: (line) => process.stdout.write(`${line}\n`),
    relativePath: (path) => relative(WORKSPACE_ROOT, path) || '.',
  });
  if (!report) {
    process.stderr.write(
      `infra-eks tf-validate: no synthesized stack in ${relative(WORKSPACE_ROOT, values.stacks) || '.'} (no <stack>/cdk.tf.json)\n` +
        `  fix: run \`npx nx run infra-eks:tf-validate\` (Nx runs synth first), or \`npx nx run infra-eks:synth\` before running this script\n`,
    );
    process.exitCode = 1;
  } else if (report.failures.length > 0) {
    process.exitCode = 1;
  }
}
