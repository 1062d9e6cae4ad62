import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TERRAFORM_WORK_DIR } from '../src/cli/paths.js';
import type { TfJson } from '../src/policy/tf-json.js';
import { synthesizeStacks, type SynthesizedStack } from '../src/stacks/app.js';
import { allEnvironmentConfigs } from '../src/stacks/env-config.js';
import { MIRROR_ENV, terraformEnvironment } from '../src/terraform/cli-config.js';
import { findTerraform, initStacks } from '../src/terraform/run.js';
import { addressOf } from '../src/tftest/address.js';
import { describeFailures, runStackTests } from '../src/tftest/runner.js';
import { PLAN_TEST_FILE, testFilesFor, writeTestFiles } from '../src/tftest/test-files.js';
import { ADMIN } from '../src/testing/stacks.js';

/**
 * `terraform test` with mock_provider "aws" on the synthesized stacks, for
 * real: the tf-test CLI as a process on dev and prod, and the tests of the
 * tests — broken copies of the dev stack must fail, naming the resource.
 * Skipped, with the reason printed, without terraform or without the AWS
 * provider offline.
 */
const bin = findTerraform();
const lib = resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-tftest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const NO_TERRAFORM = 'terraform not found on PATH (or TERRAFORM_BIN); install it from https://developer.hashicorp.com/terraform/install';
if (!bin) console.warn(`SKIPPED terraform test (tf-test) tests: ${NO_TERRAFORM}`);

const tfEnv = () => terraformEnvironment({ cliConfigFile: join(tmp, '.terraformrc'), pluginCacheDir: join(TERRAFORM_WORK_DIR, 'plugin-cache') });

/** Skips the calling test when the AWS provider cannot be installed offline (no mirror, no registry). */
async function skipUnlessProviderOffline(ctx: { skip: (reason: string) => void }, stacks: readonly SynthesizedStack[]): Promise<void> {
  if (process.env[MIRROR_ENV]) return;
  const [group] = await initStacks(stacks.slice(0, 1), { bin: bin!, env: tfEnv().env, dataRoot: join(tmp, 'probe-data') });
  if (group && !group.init.ok) {
    const reason = `the AWS provider is not available offline (terraform init: ${group.init.output.trim().split('\n')[0]}); set ${MIRROR_ENV} to a provider mirror to run this test`;
    console.warn(`SKIPPED terraform test (tf-test): ${reason}`);
    ctx.skip(reason);
  }
}

type Json = TfJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

/** A copy of a synthesized stack (with its generated tests) whose cdk.tf.json is changed by `breakIt`. */
function brokenCopy(stack: SynthesizedStack, name: string, breakIt: (json: Json) => void): { name: string; dir: string } {
  const dir = join(tmp, 'broken', name);
  cpSync(stack.dir, dir, { recursive: true });
  const json = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as Json;
  breakIt(json);
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
  return { name, dir };
}

/** Changes the mocked values of one data source in every generated test file of a copy. */
function brokenTests(copy: { name: string; dir: string }, target: string, values: Record<string, unknown>): { name: string; dir: string } {
  for (const file of ['plan.tftest.json', 'apply.tftest.json']) {
    const path = join(copy.dir, 'tests', file);
    const json = JSON.parse(readFileSync(path, 'utf8')) as { mock_provider: { aws: { override_data: { target: string; values: Record<string, unknown> }[] } } };
    const entry = json.mock_provider.aws.override_data.find((o) => o.target === target);
    if (!entry) throw new Error(`no mock for ${target} in ${file}`);
    Object.assign(entry.values, values);
    writeFileSync(path, JSON.stringify(json));
  }
  return copy;
}

function body(json: Json, address: string): Record<string, unknown> {
  const [type, name] = address.split('.') as [string, string];
  const found = json.resource[type]?.[name];
  if (!found) throw new Error(`no ${address} in the stack`);
  return found;
}

describe('tf-test: terraform test with mock_provider "aws"', () => {
  it.skipIf(!bin)('the CLI passes the mocked plan and the mocked apply on dev and prod, and writes its report', async (ctx) => {
    const out = join(tmp, 'cli');
    await skipUnlessProviderOffline(ctx, synthesizeStacks(join(tmp, 'probe'), allEnvironmentConfigs({ adminCidrs: ADMIN })));
    const run = spawnSync(process.execPath, ['--disable-warning=DEP0044', '--import', 'tsx', 'src/cli/tf-test.ts', '--out', out], {
      cwd: lib,
      env: { ...process.env, LLMOPS_EKS_ADMIN_CIDRS: ADMIN.join(',') },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/tf-test +dev +ok .*contract_plan pass/);
    expect(run.stdout).toMatch(/tf-test +prod +ok .*mocked_apply pass/);
    expect(run.stdout).toContain('infra-eks tf-test ok: 4 runs passed on 2 stacks');
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { stack: string; ok: boolean; runs: { run: string; status: string }[] }[];
    expect(report.map((r) => [r.stack, r.ok, r.runs.map((x) => `${x.run}:${x.status}`).sort()])).toEqual([
      ['dev', true, ['contract_plan:pass', 'mocked_apply:pass']],
      ['prod', true, ['contract_plan:pass', 'mocked_apply:pass']],
    ]);
  });

  it.skipIf(!bin)(
    'tests of the tests: a wrong CIDR, a dangling reference, an invalid id format and a missing zone each fail, naming the resource',
    async (ctx) => {
      const [dev] = synthesizeStacks(join(tmp, 'good'), allEnvironmentConfigs({ adminCidrs: ADMIN })) as [SynthesizedStack];
      await skipUnlessProviderOffline(ctx, [dev]);
      writeTestFiles(dev.dir, testFilesFor(dev.stack, JSON.parse(readFileSync(dev.file, 'utf8')) as TfJson));
      const subnet = addressOf(dev.stack.network.privateSubnets[0]!);
      const nodes = addressOf(dev.stack.cluster.nodeGroup);
      const vpc = addressOf(dev.stack.network.vpc);
      const zones = addressOf(dev.stack.network.availableZones);
      const broken = [
        brokenCopy(dev, 'wrong-cidr', (json) => void (body(json, subnet).cidr_block = '10.0.9.0/24')),
        brokenCopy(dev, 'dangling-reference', (json) => {
          const ng = body(json, nodes);
          ng.subnet_ids = ['${aws_subnet.network_private-9_DEADBEEF.id}', ...(ng.subnet_ids as string[]).slice(1)];
        }),
        // The node group wired to the VPC's id instead of the launch template's: only the provider's validator knows ids' formats.
        brokenCopy(dev, 'invalid-id', (json) => void ((body(json, nodes).launch_template as Record<string, unknown>).id = `\${${vpc}.id}`)),
        // The region does not offer a configured zone (mocked zones data source without ap-southeast-2b).
        brokenTests(
          brokenCopy(dev, 'zone-missing', () => {}),
          zones,
          { names: ['ap-southeast-2a', 'ap-southeast-2c'] },
        ),
      ];
      // The mocked plan alone (mocks known at plan) meets all four; skipping the apply file halves the time.
      const reports = await runStackTests(broken, { bin: bin!, env: tfEnv().env, dataRoot: join(tmp, 'data'), files: [`tests/${PLAN_TEST_FILE}`] });
      const failures = Object.fromEntries(reports.map((r) => [r.name, { ok: r.test?.ok, text: describeFailures(r).join('\n') }]));

      expect(failures['wrong-cidr']?.ok).toBe(false);
      expect(failures['wrong-cidr']?.text).toContain(`${subnet} (private subnet 1): cidr_block is 10.0.9.0/24, the seed contract says 10.0.1.0/24`);

      expect(failures['dangling-reference']?.ok).toBe(false);
      expect(failures['dangling-reference']?.text).toContain('Reference to undeclared resource');
      expect(failures['dangling-reference']?.text).toContain(`resource.${nodes}`);

      expect(failures['invalid-id']?.ok).toBe(false);
      expect(failures['invalid-id']?.text).toMatch(/"launch_template\.0\.id" must begin with 'lt-'/);
      expect(failures['invalid-id']?.text).toContain(nodes);

      expect(failures['zone-missing']?.ok).toBe(false);
      expect(failures['zone-missing']?.text).toContain('Resource postcondition failed');
      expect(failures['zone-missing']?.text).toContain(zones);
      expect(failures['zone-missing']?.text).toContain('available: ap-southeast-2a, ap-southeast-2c');
    },
  );
});

describe('tf-test without terraform', () => {
  it('says so plainly with the install link and the version it needs, writes nothing, exits 1', () => {
    const out = join(tmp, 'no-terraform');
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: join(tmp, 'empty-path') };
    delete env.TERRAFORM_BIN;
    const run = spawnSync(process.execPath, ['--disable-warning=DEP0044', '--import', 'tsx', 'src/cli/tf-test.ts', '--out', out], {
      cwd: lib,
      env,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      'terraform MISSING: not on PATH. tf-test runs `terraform test` with mock providers (terraform >= 1.7.0); install it from https://developer.hashicorp.com/terraform/install',
    );
    expect(run.stdout).toContain('infra-eks tf-test FAILED (terraform missing)');
    expect(run.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });
});
