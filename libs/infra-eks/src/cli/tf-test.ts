/**
 * `nx run infra-eks:tf-test`: synth, generate `tests/*.tftest.json` for every
 * stack from its constructs, then `terraform init -backend=false` +
 * `terraform test` with `mock_provider "aws"`: a mocked plan (the seed
 * contract) and a mocked apply (outputs, IRSA trust). Offline, no AWS
 * account, nothing created. Exit code non-zero on any failure.
 *
 * Environment: as validate (LLMOPS_TF_PLUGIN_MIRROR, LLMOPS_EKS_ADMIN_CIDRS,
 * TERRAFORM_BIN).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { TfJson } from '../policy/tf-json.js';
import { synthesizeStacks } from '../stacks/app.js';
import { MIRROR_ENV, terraformEnvironment } from '../terraform/cli-config.js';
import { findTerraform, seconds, TERRAFORM_INSTALL_URL, terraformVersion } from '../terraform/run.js';
import { testFilesFor, writeTestFiles } from '../tftest/test-files.js';
import { describeFailures, explainInitFailure, runStackTests } from '../tftest/runner.js';
import { inputsOk } from './inputs.js';
import { TERRAFORM_WORK_DIR, WORKSPACE_ROOT } from './paths.js';

/** terraform test's mock_provider arrived in 1.7. */
export const MINIMUM_TERRAFORM_FOR_MOCKS = '1.7.0';
export const DEFAULT_TF_TEST_OUT_DIR = join(WORKSPACE_ROOT, 'dist/infra-eks-tf-test');

const { values } = parseArgs({ options: { out: { type: 'string', default: DEFAULT_TF_TEST_OUT_DIR } } });
const log = (line = '') => process.stdout.write(`${line}\n`);
if (inputsOk('tf-test')) await tfTest(values.out);

function atLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const b = minimum.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

async function tfTest(outDir: string): Promise<void> {
  const started = performance.now();
  log('infra-eks tf-test (terraform test, mock_provider "aws": a mocked plan and a mocked apply per stack; offline, nothing created)');
  const bin = findTerraform();
  if (!bin) {
    log(
      `terraform MISSING: not on PATH. tf-test runs \`terraform test\` with mock providers (terraform >= ${MINIMUM_TERRAFORM_FOR_MOCKS}); install it from ${TERRAFORM_INSTALL_URL} or set TERRAFORM_BIN to its path.`,
    );
    log('\ninfra-eks tf-test FAILED (terraform missing)');
    process.exitCode = 1;
    return;
  }
  const tf = terraformEnvironment({ cliConfigFile: join(outDir, '.terraformrc'), pluginCacheDir: join(TERRAFORM_WORK_DIR, 'plugin-cache') });
  const version = await terraformVersion(bin, tf.env);
  if (!atLeast(version, MINIMUM_TERRAFORM_FOR_MOCKS)) {
    log(
      `terraform ${version} (${bin}) is too old: mock_provider needs terraform >= ${MINIMUM_TERRAFORM_FOR_MOCKS}; install a newer one from ${TERRAFORM_INSTALL_URL}`,
    );
    log('\ninfra-eks tf-test FAILED (terraform too old)');
    process.exitCode = 1;
    return;
  }
  log(`terraform ${version} (${bin}); providers: ${tf.providerSource}`);
  for (const note of tf.notes) log(`note      ${note}`);

  // 1. synth + test files generated from the same constructs
  const synthStart = performance.now();
  rmSync(join(outDir, 'report.json'), { force: true });
  const stacks = synthesizeStacks(outDir);
  for (const s of stacks) {
    const files = testFilesFor(s.stack, JSON.parse(readFileSync(s.file, 'utf8')) as TfJson);
    writeTestFiles(s.dir, files);
    log(`generate  ${s.name.padEnd(10)} ${files.map((f) => `${f.name} (${f.assertions} asserts)`).join(', ')}`);
  }
  log(
    `synth     ${stacks
      .map((s) => s.name)
      .join(', ')
      .padEnd(10)} ok   ${seconds(performance.now() - synthStart)} → ${relative(WORKSPACE_ROOT, outDir)}/<stack>/{cdk.tf.json,tests/}`,
  );

  // 2. terraform init + test
  const reports = await runStackTests(stacks, { bin, env: tf.env, dataRoot: join(TERRAFORM_WORK_DIR, 'tf-test-data'), onProgress: log });
  const failures: string[] = [];
  const initFailed = reports.find((r) => !r.init.ok);
  if (initFailed) {
    log(`\nterraform init FAILED: ${explainInitFailure(initFailed.init.output, process.env[MIRROR_ENV]?.trim() || undefined)}`);
    log(
      initFailed.init.output
        .trim()
        .split('\n')
        .map((l) => `          ${l}`)
        .join('\n'),
    );
    failures.push('terraform init');
  }
  for (const r of reports.filter((x) => x.test && !x.test.ok)) {
    failures.push(`tests ${r.name}`);
    log(`\n${r.name}: terraform test FAILED`);
    for (const line of describeFailures(r)) log(`  ${line}`);
  }
  writeFileSync(
    join(outDir, 'report.json'),
    `${JSON.stringify(
      reports.map((r) => ({
        stack: r.name,
        init: r.init.ok,
        ok: r.test?.ok ?? false,
        runs: r.test?.runs ?? [],
        summary: r.test?.summary,
        failures: describeFailures(r),
      })),
      null,
      2,
    )}\n`,
  );

  const elapsed = seconds(performance.now() - started);
  const runs = reports.flatMap((r) => r.test?.runs ?? []);
  if (failures.length > 0) {
    log(`\ninfra-eks tf-test FAILED (${failures.join('; ')}) in ${elapsed}`);
    process.exitCode = 1;
  } else {
    log(`\ninfra-eks tf-test ok: ${runs.length} runs passed on ${stacks.length} stacks (mocked plan + mocked apply each) in ${elapsed}`);
  }
}
