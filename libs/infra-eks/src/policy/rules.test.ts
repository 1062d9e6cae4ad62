import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from './evaluate.js';
import { STANDING_EXCEPTIONS } from './exceptions.js';
import { POLICY_RULES } from './rules.js';
import { resourcesOf, type TfBlock, type TfJson } from './tf-json.js';
import type { PolicyRule } from './types.js';
import { clone, synthEnv } from '../testing/stacks.js';

const good = synthEnv('dev').tf;

function rule(id: string): PolicyRule {
  const found = POLICY_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/** Break the first resource of `type` in a copy of the good stack. */
function broken(type: string, mutate: (body: TfBlock, tf: TfJson) => void): TfJson {
  const tf = clone(good) as TfJson;
  const first = resourcesOf(tf, type)[0];
  if (!first) throw new Error(`fixture has no ${type}`);
  mutate(first.body, tf);
  return tf;
}

function statusOf(id: string, tf: TfJson): string {
  return evaluatePolicy(tf, STANDING_EXCEPTIONS, [rule(id)]).results[0]!.status;
}

const trustDoc = (tf: TfJson) => Object.values(tf.data!.aws_iam_policy_document!)[0]!;
const conditions = (tf: TfJson) => (trustDoc(tf).statement as TfBlock[])[0]!.condition as TfBlock[];

const BAD_FIXTURES: [id: string, why: string, tf: () => TfJson][] = [
  ['CKV_AWS_58', 'no encryption_config', () => broken('aws_eks_cluster', (c) => delete c.encryption_config)],
  ['CKV_AWS_58', 'encrypts configmaps, not secrets', () => broken('aws_eks_cluster', (c) => ((c.encryption_config as TfBlock).resources = ['configmaps']))],
  [
    'CKV_AWS_37',
    'audit log missing',
    () => broken('aws_eks_cluster', (c) => (c.enabled_cluster_log_types = ['api', 'authenticator', 'controllerManager', 'scheduler'])),
  ],
  [
    'CKV_AWS_38',
    '0.0.0.0/0 in public_access_cidrs',
    () => broken('aws_eks_cluster', (c) => ((c.vpc_config as TfBlock).public_access_cidrs = ['10.1.2.3/32', '0.0.0.0/0'])),
  ],
  ['CKV_AWS_38', 'public endpoint without CIDRs', () => broken('aws_eks_cluster', (c) => delete (c.vpc_config as TfBlock).public_access_cidrs)],
  ['CKV_AWS_79', 'IMDSv1 allowed', () => broken('aws_launch_template', (lt) => ((lt.metadata_options as TfBlock).http_tokens = 'optional'))],
  ['CKV_AWS_79', 'node group without launch template', () => broken('aws_eks_node_group', (ng) => delete ng.launch_template)],
  ['CKV_AWS_341', 'hop limit 2', () => broken('aws_launch_template', (lt) => ((lt.metadata_options as TfBlock).http_put_response_hop_limit = 2))],
  ['CKV2_AWS_11', 'no flow log', () => broken('aws_flow_log', (_b, tf) => delete tf.resource!.aws_flow_log)],
  ['CKV2_AWS_12', 'default SG not managed', () => broken('aws_default_security_group', (_b, tf) => delete tf.resource!.aws_default_security_group)],
  [
    'CKV2_AWS_12',
    'default SG with an ingress rule',
    () => broken('aws_default_security_group', (sg) => (sg.ingress = [{ from_port: 0, to_port: 0, protocol: '-1', self: true }])),
  ],
  ['CKV_AWS_130', 'public IP on launch', () => broken('aws_subnet', (s) => (s.map_public_ip_on_launch = true))],
  ['CKV_AWS_7', 'KMS rotation off', () => broken('aws_kms_key', (k) => (k.enable_key_rotation = false))],
  ['CKV_AWS_158', 'log group unencrypted', () => broken('aws_cloudwatch_log_group', (g) => delete g.kms_key_id)],
  [
    'CKV_AWS_355',
    'Resource "*"',
    () => broken('aws_iam_role_policy', (p) => (p.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] }))),
  ],
  [
    'CKV_AWS_355',
    'wildcard action',
    () => broken('aws_iam_role_policy', (p) => (p.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b' }] }))),
  ],
  ['LLMOPS_IRSA_1', 'no :sub condition (any service account)', () => broken('aws_iam_role', (_b, tf) => conditions(tf).splice(0, 1))],
  [
    'LLMOPS_IRSA_1',
    'StringLike wildcard subject',
    () => broken('aws_iam_role', (_b, tf) => Object.assign(conditions(tf)[0]!, { test: 'StringLike', values: ['system:serviceaccount:dev:*'] })),
  ],
  ['LLMOPS_IRSA_1', 'no :aud condition', () => broken('aws_iam_role', (_b, tf) => conditions(tf).splice(1, 1))],
  [
    'LLMOPS_IRSA_1',
    'literal trust JSON without conditions',
    () =>
      broken('aws_iam_role', (role) => {
        role.assume_role_policy = JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::1:oidc-provider/x' }, Action: 'sts:AssumeRoleWithWebIdentity' }],
        });
      }),
  ],
];

describe('policy rules', () => {
  it('every rule passes (or is excepted) on the synthesized dev stack', () => {
    for (const r of POLICY_RULES) expect([r.id, statusOf(r.id, good)]).toEqual([r.id, r.id === 'CKV_AWS_39' ? 'excepted' : 'pass']);
  });

  it.each(BAD_FIXTURES)('%s fails on a bad fixture: %s', (id, _why, make) => {
    const report = evaluatePolicy(make(), STANDING_EXCEPTIONS, [rule(id)]);
    expect(report.results[0]!.status).toBe('fail');
    expect(report.results[0]!.findings.length).toBeGreaterThan(0);
    expect(report.failed).toBe(true);
  });

  it('every rule has a failing fixture, a fix and at least one id', () => {
    const covered = new Set(BAD_FIXTURES.map(([id]) => id));
    for (const r of POLICY_RULES) {
      if (r.id !== 'CKV_AWS_39') expect(covered.has(r.id), r.id).toBe(true);
      expect(r.fix.length).toBeGreaterThan(10);
    }
  });

  it('CKV_AWS_39 fails without its exception and passes with a private-only endpoint', () => {
    expect(evaluatePolicy(good, [], [rule('CKV_AWS_39')]).results[0]!.status).toBe('fail');
    const privateOnly = broken('aws_eks_cluster', (c) => ((c.vpc_config as TfBlock).endpoint_public_access = false));
    expect(statusOf('CKV_AWS_39', privateOnly)).toBe('pass');
  });

  it('an exception needs a reason, and unused exceptions are reported', () => {
    const noReason = evaluatePolicy(good, [{ ruleId: 'CKV_AWS_39', reason: ' ' }], [rule('CKV_AWS_39')]);
    expect(noReason.results[0]!.status).toBe('fail');
    const stale = evaluatePolicy(good, [...STANDING_EXCEPTIONS, { ruleId: 'CKV_AWS_130', reason: 'old' }]);
    expect(stale.unusedExceptions.map((e) => e.ruleId)).toEqual(['CKV_AWS_130']);
    expect(stale.failed).toBe(false);
  });

  it('rules without matching resources are n/a, not pass', () => {
    expect(evaluatePolicy({ resource: {} }).results.every((r) => r.status === 'n/a')).toBe(true);
  });
});
