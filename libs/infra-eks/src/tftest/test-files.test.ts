import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TfJson } from '../policy/tf-json.js';
import { synthesizeStacks, type SynthesizedStack } from '../stacks/app.js';
import { allEnvironmentConfigs } from '../stacks/env-config.js';
import { ADMIN } from '../testing/stacks.js';
import { addressOf } from './address.js';
import { MOCK_ACCOUNT_ID, mockValuesFor } from './mock-values.js';
import { testFilesFor } from './test-files.js';

/**
 * The generated `tests/*.tftest.json` of each stack, in-process (no terraform
 * needed): every resource mocked realistically, assertions only on addresses
 * that exist, a missing mock or construct named. test/tf-test.test.ts runs
 * them through real `terraform test`.
 */
const tmp = mkdtempSync(join(tmpdir(), 'infra-eks-tftest-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generated test files (no terraform needed)', () => {
  const [dev, prod] = synthesizeStacks(join(tmp, 'gen'), allEnvironmentConfigs({ adminCidrs: ADMIN })) as [SynthesizedStack, SynthesizedStack];
  const tfOf = (s: SynthesizedStack) => JSON.parse(readFileSync(s.file, 'utf8')) as TfJson;
  type Doc = {
    mock_provider: {
      aws: { override_during?: string; override_resource: { target: string; values: Record<string, unknown> }[]; override_data: { target: string }[] };
    };
    run: Record<string, { command: string; assert: { condition: string; error_message: string }[] }>;
  };
  const docs = (s: SynthesizedStack) => Object.fromEntries(testFilesFor(s.stack, tfOf(s)).map((f) => [f.name, f.json as unknown as Doc]));

  it('mock every resource and data source of the stack, in the formats AWS returns', () => {
    for (const s of [dev, prod]) {
      const tf = tfOf(s);
      const resources = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
      const data = Object.entries(tf.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((n) => `data.${type}.${n}`));
      const { 'apply.tftest.json': apply, 'plan.tftest.json': plan } = docs(s);
      expect(apply!.mock_provider.aws.override_resource.map((o) => o.target).sort()).toEqual(resources.sort());
      expect(apply!.mock_provider.aws.override_data.map((o) => o.target).sort()).toEqual(data.sort());
      expect(plan!.mock_provider.aws.override_during).toBe('plan');
      expect(apply!.mock_provider.aws.override_during).toBeUndefined();
      const mock = (address: string) => apply!.mock_provider.aws.override_resource.find((o) => o.target === address)!.values;
      expect(mock(addressOf(s.stack.cluster.launchTemplate)).id).toMatch(/^lt-[0-9a-f]{17}$/);
      expect(mock(addressOf(s.stack.network.vpc)).id).toMatch(/^vpc-[0-9a-f]{17}$/);
      expect(mock(addressOf(s.stack.ragApiRole.role)).arn).toBe(`arn:aws:iam::123456789012:role/llmops-rag-${s.name}-rag-api-irsa`);
      const issuer = (mock(addressOf(s.stack.cluster.cluster)).identity as { oidc: { issuer: string }[] }[])[0]!.oidc[0]!.issuer;
      expect(issuer).toMatch(/^https:\/\/oidc\.eks\.ap-southeast-2\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
      expect(mock(addressOf(s.stack.cluster.oidcProvider)).arn).toBe(`arn:aws:iam::123456789012:oidc-provider/${issuer.replace('https://', '')}`);
      const ids = apply!.mock_provider.aws.override_resource.map((o) => o.values.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('assert only on addresses that exist in the synthesized stack, and on the service account the manifests use', () => {
    const tf = tfOf(dev);
    const { 'apply.tftest.json': apply, 'plan.tftest.json': plan } = docs(dev);
    const text = JSON.stringify([apply!.run, plan!.run]);
    const referenced = new Set([...text.matchAll(/\b((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\./g)].map((m) => `${m[1]}.${m[2]}`));
    expect(referenced.size).toBeGreaterThan(10);
    for (const address of referenced) {
      const [kind, type, name] = address.startsWith('data.') ? address.split('.') : ['resource', ...address.split('.')];
      expect(kind === 'data' ? tf.data?.[type!]?.[name!] : tf.resource?.[type!]?.[name!], address).toBeDefined();
    }
    const trust = addressOf(dev.stack.ragApiRole.trustPolicy);
    const conditions = apply!.run.mocked_apply!.assert.map((a) => a.condition).filter((c) => c.includes(`${trust}.statement[0].condition`));
    expect(conditions.join('\n')).toMatch(
      /c\.variable == "oidc\.eks\.ap-southeast-2\.amazonaws\.com\/id\/[0-9A-F]{32}:sub" && toset\(c\.values\) == toset\(\["system:serviceaccount:dev:rag-api"\]\)/,
    );
    expect(conditions.join('\n')).toMatch(
      /c\.variable == "oidc\.eks\.ap-southeast-2\.amazonaws\.com\/id\/[0-9A-F]{32}:aud" && toset\(c\.values\) == toset\(\["sts\.amazonaws\.com"\]\)/,
    );
    expect(plan!.run.contract_plan!.command).toBe('plan');
    expect(apply!.run.mocked_apply!.command).toBe('apply');
  });

  it('a resource type without a realistic mock, or a construct missing from the JSON, is an error naming it', () => {
    const account = { accountId: MOCK_ACCOUNT_ID, region: 'ap-southeast-2', partition: 'aws' };
    expect(() => mockValuesFor(new Map([['aws_s3_bucket.documents', {}]]), account)).toThrow(
      'no realistic mock for aws_s3_bucket (aws_s3_bucket.documents): add one to libs/infra-eks/src/tftest/mock-values.ts',
    );
    const vpc = addressOf(dev.stack.network.vpc);
    const changed = structuredClone(tfOf(dev)) as TfJson & { resource: Record<string, Record<string, unknown>> };
    delete changed.resource.aws_vpc![vpc.split('.')[1]!];
    expect(() => testFilesFor(dev.stack, changed)).toThrow(`${vpc} (from the constructs) is not in the synthesized JSON`);
  });
});
