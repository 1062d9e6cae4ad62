import { describe, expect, it } from 'vitest';
import { configMapData } from '@llmops-rag/config';
import { clusterName, ragApiRoleArn, ragApiRoleName, ragApiServiceAccount } from '../contract/naming.js';
import { STACK_ENVS, STACK_OUTPUTS } from '../contract/outputs.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import { exceptionsFor } from '../policy/exceptions.js';
import { policyStatements } from '../policy/rules.js';
import { resourcesOf } from '../policy/tf-json.js';
import { environmentConfig, PLACEHOLDER_ADMIN_CIDR } from './env-config.js';
import { ADMIN, only, synthEnv } from '../testing/stacks.js';

const ACCOUNT = '111122223333';

describe.each(STACK_ENVS)('%s stack', (env) => {
  const { tf } = synthEnv(env);

  it('IRSA role: the ARN the manifests compute is the ARN this stack outputs', () => {
    const roles = resourcesOf(tf, 'aws_iam_role').filter((r) => r.body.name === ragApiRoleName(env));
    expect(roles).toHaveLength(1);
    const role = roles[0]!;
    // The output is exactly that role's arn attribute ...
    expect(tf.output?.[STACK_OUTPUTS.ragApiRoleArn]?.value).toBe(`\${${role.address}.arn}`);
    // ... and an IAM role ARN is arn:aws:iam::<account>:role<path><name>; path is "/".
    expect(role.body.path).toBe('/');
    const arnOnceApplied = `arn:aws:iam::${ACCOUNT}:role${role.body.path as string}${role.body.name as string}`;
    expect(arnOnceApplied).toBe(ragApiRoleArn(ACCOUNT, env));
  });

  it('IRSA role trusts exactly ragApiServiceAccount(env)', () => {
    const role = resourcesOf(tf, 'aws_iam_role').find((r) => r.body.name === ragApiRoleName(env))!;
    const statements = policyStatements(tf, role.body.assume_role_policy)!;
    const { namespace, name } = ragApiServiceAccount(env);
    const subs = statements.flatMap((s) => s.conditions.filter((c) => c.variable.endsWith(':sub')));
    expect(subs).toEqual([
      {
        test: 'StringEquals',
        variable: expect.stringMatching(/oidc\[0\]\.issuer, "https:\/\/", ""\)\}:sub$/),
        values: [`system:serviceaccount:${namespace}:${name}`],
      },
    ]);
    expect(tf.output?.[STACK_OUTPUTS.ragApiServiceAccount]?.value).toBe(`system:serviceaccount:${namespace}:${name}`);
  });

  it('takes region and bucket from libs/config and the cluster name from the contract', () => {
    const app = configMapData(env);
    expect(tf.provider?.aws?.[0]?.region).toBe(app.AWS_REGION);
    const policy = JSON.parse(
      resourcesOf(tf, 'aws_iam_role_policy').find((p) => (p.body.name as string).startsWith(ragApiRoleName(env)))!.body.policy as string,
    );
    expect(JSON.stringify(policy)).toContain(`arn:aws:s3:::${app.DOCUMENTS_BUCKET}/*`);
    expect(JSON.stringify(policy)).toContain(`arn:aws:bedrock:${app.AWS_REGION}::foundation-model/*`);
    expect(only(tf, 'aws_eks_cluster').body.name).toBe(clusterName(env));
    expect(only(tf, 'aws_vpc').body.tags).toMatchObject({ Name: `llmops-rag-vpc-${env}`, [`kubernetes.io/cluster/${clusterName(env)}`]: 'shared' });
  });

  it('passes every policy rule (only the documented public-endpoint exception)', () => {
    const report = evaluatePolicy(tf, exceptionsFor(environmentConfig(env, { adminCidrs: ADMIN })));
    expect(report.results.filter((r) => r.status === 'fail').map((r) => [r.rule.id, r.findings])).toEqual([]);
    expect(report.results.filter((r) => r.status === 'excepted').map((r) => r.rule.id)).toEqual(['CKV_AWS_39']);
    expect(report.results.filter((r) => r.status === 'n/a')).toEqual([]);
    expect(report.unusedExceptions).toEqual([]);
  });
});

describe('environment config', () => {
  it('dev has one NAT gateway and the spec node group; prod one NAT per AZ', () => {
    expect(resourcesOf(synthEnv('dev').tf, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOf(synthEnv('prod').tf, 'aws_nat_gateway')).toHaveLength(2);
    expect(environmentConfig('dev').cluster.nodeGroup).toMatchObject({
      minSize: 1,
      maxSize: 2,
      desiredSize: 1,
      instanceTypes: ['t3.medium'],
      capacityType: 'ON_DEMAND',
    });
  });

  it('admin CIDRs come from LLMOPS_EKS_ADMIN_CIDRS, else a fail-closed placeholder, never 0.0.0.0/0', () => {
    const saved = process.env.LLMOPS_EKS_ADMIN_CIDRS;
    try {
      delete process.env.LLMOPS_EKS_ADMIN_CIDRS;
      expect(environmentConfig('prod').cluster.adminCidrs).toEqual([PLACEHOLDER_ADMIN_CIDR]);
      expect(environmentConfig('prod').cluster.adminCidrsArePlaceholder).toBe(true);
      process.env.LLMOPS_EKS_ADMIN_CIDRS = '198.51.100.0/24, 203.0.113.9/32';
      expect(environmentConfig('prod').cluster.adminCidrs).toEqual(['198.51.100.0/24', '203.0.113.9/32']);
      process.env.LLMOPS_EKS_ADMIN_CIDRS = '0.0.0.0/0';
      expect(() => synthEnv('prod', {})).toThrow(/whole internet/);
    } finally {
      if (saved === undefined) delete process.env.LLMOPS_EKS_ADMIN_CIDRS;
      else process.env.LLMOPS_EKS_ADMIN_CIDRS = saved;
    }
  });

  it('an acknowledged 0.0.0.0/0 becomes a CKV_AWS_38 exception carrying the reason', () => {
    const inputs = { adminCidrs: ['0.0.0.0/0'], acknowledgePublicAccessFromAnywhere: 'short-lived demo' };
    const report = evaluatePolicy(synthEnv('dev', inputs).tf, exceptionsFor(environmentConfig('dev', inputs)));
    const cidrRule = report.results.find((r) => r.rule.id === 'CKV_AWS_38')!;
    expect(cidrRule.status).toBe('excepted');
    expect(cidrRule.excepted[0]?.reason).toContain('short-lived demo');
    expect(report.failed).toBe(false);
  });
});
