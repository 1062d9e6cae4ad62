import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { Network, type NetworkProps } from './network.js';
import { resourcesOf, type TfJson } from '../policy/tf-json.js';

const props: NetworkProps = {
  name: 'llmops-rag-vpc-dev',
  cidr: '10.0.0.0/16',
  azs: ['ap-southeast-2a', 'ap-southeast-2b'],
  privateSubnets: ['10.0.1.0/24', '10.0.2.0/24'],
  publicSubnets: ['10.0.101.0/24', '10.0.102.0/24'],
  natGateways: 'single',
  clusterName: 'llmops-rag-eks-dev',
  flowLogs: { retentionDays: 30, kmsKeyArn: 'arn:aws:kms:ap-southeast-2:111122223333:key/abc' },
};

function synth(p: NetworkProps): string {
  return Testing.synthScope((scope) => {
    new Network(scope, 'network', p);
  });
}

describe('Network', () => {
  const json = synth(props);
  const tf = JSON.parse(json) as TfJson;

  it('creates the spec VPC: 10.0.0.0/16, DNS hostnames, cluster tag', () => {
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_vpc', {
        cidr_block: '10.0.0.0/16',
        enable_dns_hostnames: true,
        enable_dns_support: true,
        tags: { Name: 'llmops-rag-vpc-dev', 'kubernetes.io/cluster/llmops-rag-eks-dev': 'shared' },
      }),
    ).toBe(true);
  });

  it('puts private and public subnets in both AZs with the ELB discovery tags', () => {
    for (const [i, az] of ['ap-southeast-2a', 'ap-southeast-2b'].entries()) {
      expect(
        Testing.toHaveResourceWithProperties(json, 'aws_subnet', {
          availability_zone: az,
          cidr_block: `10.0.${i + 1}.0/24`,
          map_public_ip_on_launch: false,
          tags: { 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/llmops-rag-eks-dev': 'shared' },
        }),
      ).toBe(true);
      expect(
        Testing.toHaveResourceWithProperties(json, 'aws_subnet', {
          availability_zone: az,
          cidr_block: `10.0.${101 + i}.0/24`,
          map_public_ip_on_launch: false,
          tags: { 'kubernetes.io/role/elb': '1', 'kubernetes.io/cluster/llmops-rag-eks-dev': 'shared' },
        }),
      ).toBe(true);
    }
    expect(resourcesOf(tf, 'aws_subnet')).toHaveLength(4);
  });

  it('matchers really fail on a wrong property (not vacuous)', () => {
    expect(Testing.toHaveResourceWithProperties(json, 'aws_vpc', { cidr_block: '10.1.0.0/16' })).toBe(false);
    expect(Testing.toHaveResource(json, 'aws_instance')).toBe(false);
  });

  it('has an internet gateway, one NAT gateway with an EIP in dev, and routes', () => {
    expect(Testing.toHaveResource(json, 'aws_internet_gateway')).toBe(true);
    expect(resourcesOf(tf, 'aws_nat_gateway')).toHaveLength(1);
    expect(resourcesOf(tf, 'aws_eip')).toHaveLength(1);
    expect(Testing.toHaveResourceWithProperties(json, 'aws_eip', { domain: 'vpc' })).toBe(true);
    // one public + one private table per AZ, each private one routed through the single NAT
    const tables = resourcesOf(tf, 'aws_route_table');
    expect(tables).toHaveLength(3);
    const natRoutes = tables.flatMap((t) => (t.body.route as { nat_gateway_id?: string }[]).filter((r) => r.nat_gateway_id));
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
    expect(resourcesOf(tf, 'aws_route_table_association')).toHaveLength(4);
  });

  it('puts one NAT gateway per AZ in one-per-az mode', () => {
    const prod = JSON.parse(synth({ ...props, natGateways: 'one-per-az' })) as TfJson;
    expect(resourcesOf(prod, 'aws_nat_gateway')).toHaveLength(2);
    expect(resourcesOf(prod, 'aws_eip')).toHaveLength(2);
    const natRoutes = resourcesOf(prod, 'aws_route_table').flatMap((t) => (t.body.route as { nat_gateway_id?: string }[]).filter((r) => r.nat_gateway_id));
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(2);
  });

  it('locks down the default security group and turns on flow logs to an encrypted group', () => {
    const sg = resourcesOf(tf, 'aws_default_security_group');
    expect(sg).toHaveLength(1);
    expect(sg[0]?.body.ingress).toBeUndefined();
    expect(sg[0]?.body.egress).toBeUndefined();
    expect(Testing.toHaveResourceWithProperties(json, 'aws_flow_log', { traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' })).toBe(true);
    expect(
      Testing.toHaveResourceWithProperties(json, 'aws_cloudwatch_log_group', {
        retention_in_days: 30,
        kms_key_id: 'arn:aws:kms:ap-southeast-2:111122223333:key/abc',
      }),
    ).toBe(true);
  });

  it('refuses inconsistent props before terraform sees them', () => {
    expect(() => synth({ ...props, privateSubnets: ['10.0.1.0/24'] })).toThrow(/one CIDR per AZ/);
    expect(() => synth({ ...props, publicSubnets: ['10.0.101.0/24', '10.1.0.0/24'] })).toThrow(/outside the VPC/);
    expect(() => synth({ ...props, publicSubnets: ['10.0.1.0/24', '10.0.102.0/24'] })).toThrow(/overlap/);
    expect(() => synth({ ...props, azs: ['ap-southeast-2a'], privateSubnets: ['10.0.1.0/24'], publicSubnets: ['10.0.101.0/24'] })).toThrow(/at least two/);
    expect(() => synth({ ...props, cidr: '10.0.0.1/16' })).toThrow(/host bits/);
  });
});
