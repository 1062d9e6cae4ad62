/**
 * `nx run infra-eks:validate`: synth, `terraform init -backend=false` +
 * `terraform validate` on every stack, policy checks, monthly cost. Never
 * plans or applies. Exit code non-zero on any failure. The terraform step's
 * lines come from tf-validate's report when it validated exactly the stacks
 * synthesized here with the same terraform and mirror (as under Nx, which
 * runs tf-validate first); otherwise validate runs terraform itself.
 *
 * Environment: LLMOPS_TF_PLUGIN_MIRROR (provider mirror dir, CI),
 * LLMOPS_EKS_ADMIN_CIDRS (admin CIDRs of the public endpoint),
 * TERRAFORM_BIN (terraform path if not on PATH).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { estimateMonthlyCost, usd } from '../cost/estimate.js';
import { DEFAULT_USAGE, USAGE_ASSUMPTIONS } from '../cost/prices.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { exceptionsFor } from '../policy/exceptions.js';
import type { TfJson } from '../policy/tf-json.js';
import { ADMIN_CIDRS_ENV } from '../stacks/env-config.js';
import { synthesizeStacks } from '../stacks/app.js';
import { seconds } from '../terraform/run.js';
import { reusableTfValidateReport } from '../terraform/validate-report.js';
import { terraformValidateStep } from '../terraform/validate-step.js';
import { inputsOk } from './inputs.js';
import { DEFAULT_OUT_DIR, DEFAULT_TF_VALIDATE_OUT_DIR, TERRAFORM_WORK_DIR, WORKSPACE_ROOT } from './paths.js';
import { formatCost, formatPolicy } from './report.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: DEFAULT_OUT_DIR } } });
const log = (line = '') => process.stdout.write(`${line}\n`);
// Every input variable is checked before anything is synthesized or written.
if (inputsOk('validate')) await validate(values.out);

async function validate(outDir: string): Promise<void> {
  const started = performance.now();
  const failures: string[] = [];

  log('infra-eks validate (terraform init -backend=false + validate; never plan/apply)');

  // 1. synth
  const synthStart = performance.now();
  const stacks = synthesizeStacks(outDir);
  log(
    `synth     ${stacks
      .map((s) => s.name)
      .join(', ')
      .padEnd(10)} ok   ${seconds(performance.now() - synthStart)} → ${relative(WORKSPACE_ROOT, outDir)}/<stack>/cdk.tf.json`,
  );
  const placeholder = stacks.find((s) => s.config.cluster.adminCidrsArePlaceholder);
  if (placeholder) {
    log(
      `note      admin CIDRs: ${placeholder.config.cluster.adminCidrs.join(', ')} is an RFC 5737 placeholder (endpoint reachable from nowhere); export ${ADMIN_CIDRS_ENV} before an apply`,
    );
  }

  // 2. terraform: tf-validate's report when it is about exactly these stacks (Nx runs tf-validate first), else terraform here
  const recorded = reusableTfValidateReport(join(DEFAULT_TF_VALIDATE_OUT_DIR, 'report.json'), stacks);
  if (recorded) recorded.lines.forEach((l) => log(l));
  const terraform =
    recorded ??
    (await terraformValidateStep(stacks, {
      cliConfigFile: join(outDir, '.terraformrc'),
      pluginCacheDir: join(TERRAFORM_WORK_DIR, 'plugin-cache'),
      dataRoot: join(TERRAFORM_WORK_DIR, 'terraform-data'),
      log,
    }));
  failures.push(...terraform.failures);

  // 3. policy and cost
  let total = 0;
  let exceptionCount = 0;
  const costs: string[] = [];
  for (const stack of stacks) {
    const tf = JSON.parse(readFileSync(stack.file, 'utf8')) as TfJson;
    const report = evaluatePolicy(tf, exceptionsFor(stack.config));
    log();
    formatPolicy(stack.name, report).forEach((l) => log(l));
    if (report.failed) failures.push(`policy ${stack.name}`);
    exceptionCount += report.results.filter((r) => r.status === 'excepted').length;
    const estimate = estimateMonthlyCost(tf, USAGE_ASSUMPTIONS[stack.name] ?? DEFAULT_USAGE);
    total += estimate.monthlyUsd;
    costs.push('', ...formatCost(stack.name, estimate));
  }
  costs.forEach((l) => log(l));
  log(`\nnot applied (the spec defers apply): saves ≈ ${usd(total)} a month for ${stacks.map((s) => s.name).join(' + ')}`);

  const elapsed = seconds(performance.now() - started);
  if (failures.length > 0) {
    log(`\ninfra-eks validate FAILED (${failures.join('; ')}) in ${elapsed}`);
    process.exitCode = 1;
  } else {
    log(`\ninfra-eks validate ok: ${stacks.length} stacks valid, policy passed (${exceptionCount} exceptions, reasons above) in ${elapsed}`);
  }
}
