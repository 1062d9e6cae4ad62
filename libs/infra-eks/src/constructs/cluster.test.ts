import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { Cluster, DEFAULT_KUBERNETES_VERSION, type ClusterProps } from './cluster.js';
import { resourcesOf, type TfJson } from '../policy/tf-json.js';
import { only } from '../testing/stacks.js';

const props: ClusterProps = {
  name: 'llmops-rag-eks-dev',
  subnetIds: ['subnet-a', 'subnet-b'],
  publicAccessCidrs: ['203.0.113.7/32'],
  logRetentionDays: 30,
  logsKmsKeyArn: 'arn:aws:kms:ap-southeast-2:111122223333:key/logs',
  nodeGroup: { minSize: 1, maxSize: 2, desiredSize: 1 },
};

function synth(p: ClusterProps): string {
  return Testing.synthScope((scope) => {
    new Cluster(scope, 'eks', p);
  });
}

describe('Cluster', () => {
  const json = synth(props);
  const tf = JSON.parse(json) as TfJson;

  it('defaults to a Kubernetes version in standard support (≥ 1.29) with upgrade policy STANDARD', () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe('1.35');
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_eks_cluster', {
        name: 'llmops-rag-eks-dev',
        version: '1.35',
        upgrade_policy: { support_type: 'STANDARD' },
      }),
    ).toBe(true);
  });

  it('uses the private subnets, keeps the public endpoint restricted to the admin CIDRs', () => {
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_eks_cluster', {
        vpc_config: {
          subnet_ids: ['subnet-a', 'subnet-b'],
          endpoint_private_access: true,
          endpoint_public_access: true,
          public_access_cidrs: ['203.0.113.7/32'],
        },
      }),
    ).toBe(true);
  });

  it('encrypts secrets with a rotating KMS key and turns on all five log types', () => {
    const cluster = only(tf, 'aws_eks_cluster').body;
    const key = resourcesOf(tf, 'aws_kms_key')[0];
    expect(key?.body.enable_key_rotation).toBe(true);
    expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: `\${${key?.address}.arn}` } });
    expect(cluster.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_cloudwatch_log_group', {
        name: '/aws/eks/llmops-rag-eks-dev/cluster',
        retention_in_days: 30,
        kms_key_id: props.logsKmsKeyArn,
      }),
    ).toBe(true);
  });

  it('runs the spec node group (t3.medium ON_DEMAND 1/2/1) through an IMDSv2-only launch template', () => {
    const ng = only(tf, 'aws_eks_node_group').body;
    expect(ng.instance_types).toEqual(['t3.medium']);
    expect(ng.capacity_type).toBe('ON_DEMAND');
    expect(ng.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(ng.scaling_config).toEqual({ min_size: 1, max_size: 2, desired_size: 1 });
    const lt = only(tf, 'aws_launch_template');
    expect((ng.launch_template as { id: string }).id).toBe(`\${${lt.address}.id}`);
    expect(lt.body.metadata_options).toEqual({
      http_endpoint: 'enabled',
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
      instance_metadata_tags: 'disabled',
    });
    expect(lt.body.image_id).toBeUndefined();
  });

  it('creates the IRSA OIDC provider for sts.amazonaws.com without a thumbprint (aws provider only)', () => {
    const oidc = only(tf, 'aws_iam_openid_connect_provider').body;
    expect(oidc.client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc.url).toMatch(/^\$\{aws_eks_cluster\.[^.]+\.identity\[0\]\.oidc\[0\]\.issuer\}$/);
    expect(oidc.thumbprint_list).toBeUndefined();
  });

  it('honours a hop limit of 2 when asked', () => {
    const two = JSON.parse(synth({ ...props, imdsHopLimit: 2 })) as TfJson;
    expect((only(two, 'aws_launch_template').body.metadata_options as { http_put_response_hop_limit: number }).http_put_response_hop_limit).toBe(2);
  });

  it('has no 0.0.0.0/0 default: no CIDRs is an error, /0 needs a written reason', () => {
    expect(() => synth({ ...props, publicAccessCidrs: [] })).toThrow(/no default/);
    expect(() => synth({ ...props, publicAccessCidrs: ['0.0.0.0/0'] })).toThrow(/whole internet/);
    expect(() => synth({ ...props, publicAccessCidrs: ['0.0.0.0/0'], acknowledgePublicAccessFromAnywhere: '  ' })).toThrow(/whole internet/);
    const open = synth({ ...props, publicAccessCidrs: ['0.0.0.0/0'], acknowledgePublicAccessFromAnywhere: 'demo cluster, torn down after the workshop' });
    expect(Testing.toHaveResourceWithProperties(open, 'aws_eks_cluster', { vpc_config: { public_access_cidrs: ['0.0.0.0/0'] } })).toBe(true);
  });

  it('refuses versions below 1.29 and bad node group sizes', () => {
    expect(() => synth({ ...props, kubernetesVersion: '1.28' })).toThrow(/below the minimum 1.29/);
    expect(() => synth({ ...props, kubernetesVersion: 'latest' })).toThrow(/major.minor/);
    expect(() => synth({ ...props, nodeGroup: { minSize: 2, maxSize: 1, desiredSize: 1 } })).toThrow(/min/);
  });
});
