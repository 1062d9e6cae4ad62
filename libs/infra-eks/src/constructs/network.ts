import { Construct } from 'constructs';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { cidrContains, cidrsOverlap, parseIpv4Cidr } from './cidr.js';
import { assumeRolePolicy, policyDocument } from './iam-json.js';

/** How many NAT gateways: one shared (cheap, dev) or one per AZ (an AZ outage does not cut the others off, prod). */
export type NatGatewayMode = 'single' | 'one-per-az';

/**
 * Inputs, in the spirit of terraform-aws-modules/vpc/aws (5.0.0):
 *
 * | input | module equivalent | notes |
 * | --- | --- | --- |
 * | `name` | `name` | VPC Name tag, prefix of every other Name tag |
 * | `cidr` | `cidr` | e.g. 10.0.0.0/16 |
 * | `azs` | `azs` | one private and one public subnet per AZ |
 * | `privateSubnets` / `publicSubnets` | same | one CIDR per AZ, inside `cidr`, no overlaps |
 * | `natGateways` | `single_nat_gateway` / `one_nat_gateway_per_az` | `single` or `one-per-az` |
 * | `clusterName` | `tags` `kubernetes.io/cluster/<name>` = `shared` | EKS subnet discovery |
 * | `flowLogs` | `enable_flow_log` + `flow_log_*` | always on (CKV2_AWS_11) |
 * | `tags` | `tags` | merged into every resource (the provider adds default tags too) |
 */
export interface NetworkProps {
  readonly name: string;
  readonly cidr: string;
  readonly azs: readonly string[];
  readonly privateSubnets: readonly string[];
  readonly publicSubnets: readonly string[];
  readonly natGateways: NatGatewayMode;
  readonly clusterName: string;
  readonly flowLogs: {
    /** CloudWatch Logs retention of the flow log group. */
    readonly retentionDays: number;
    /** KMS key (ARN) encrypting the flow log group (CKV_AWS_158). */
    readonly kmsKeyArn: string;
    /** ALL (default), ACCEPT or REJECT. */
    readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  };
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A two-tier VPC for EKS: public subnets hold only the NAT gateway(s) and
 * internet-facing load balancers, private subnets hold the nodes. No subnet
 * hands out public IPs on launch (CKV_AWS_130): nothing in this design needs
 * one (the NAT gateway has an Elastic IP, load balancers get their own).
 *
 * Outputs (module equivalents): `vpcId` (vpc_id), `privateSubnetIds`
 * (private_subnets), `publicSubnetIds` (public_subnets), `natGatewayIds`
 * (natgw_ids), `flowLogId` (vpc_flow_log_id). The resources themselves are
 * exposed too (`vpc`, `availableZones`, `privateSubnets`, ...) so tests can
 * name them by their terraform address instead of copying it.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly natGatewayIds: string[];
  readonly flowLogId: string;
  readonly vpc: Vpc;
  /** The region's available zones, read at plan; a postcondition fails the plan if a configured AZ is missing. */
  readonly availableZones: DataAwsAvailabilityZones;
  readonly privateSubnets: readonly Subnet[];
  readonly publicSubnets: readonly Subnet[];
  readonly natGateways: readonly NatGateway[];
  readonly privateRouteTables: readonly RouteTable[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    validateNetworkProps(props);
    const tags = props.tags ?? {};
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    const named: NameTags = (suffix, extra = {}) => ({ ...tags, ...extra, Name: `${props.name}-${suffix}` });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { ...tags, ...clusterTag, Name: props.name },
    });
    this.vpcId = this.vpc.id;
    this.availableZones = this.availabilityZoneCheck(props.azs);

    // CKV2_AWS_12: adopt the default security group and strip every rule, so
    // nothing that forgets to name a security group gets open traffic.
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: named('default-locked'),
    });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: named('igw') });
    this.publicSubnets = this.subnets('public', props.azs, props.publicSubnets, (az) =>
      named(`public-${az}`, { ...clusterTag, 'kubernetes.io/role/elb': '1' }),
    );
    this.privateSubnets = this.subnets('private', props.azs, props.privateSubnets, (az) =>
      named(`private-${az}`, { ...clusterTag, 'kubernetes.io/role/internal-elb': '1' }),
    );
    this.publicSubnetIds = this.publicSubnets.map((s) => s.id);
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);

    this.publicRouting(igw, named);
    this.natGateways = this.natGatewaysFor(props, igw, named);
    this.natGatewayIds = this.natGateways.map((n) => n.id);
    this.privateRouteTables = this.privateRouting(props.azs, named);
    this.flowLogId = this.flowLog(props, named).id;
  }

  /**
   * The AZs are fixed (spec); this only checks, at plan, that the region really
   * offers them to this account (an opt-in or retired zone fails here, not mid-apply).
   */
  private availabilityZoneCheck(azs: readonly string[]): DataAwsAvailabilityZones {
    const azList = `[${azs.map((az) => JSON.stringify(az)).join(', ')}]`;
    return new DataAwsAvailabilityZones(this, 'available-zones', {
      state: 'available',
      lifecycle: {
        postcondition: [
          {
            condition: `\${alltrue([for az in ${azList} : contains(self.names, az)])}`,
            errorMessage: `Every configured AZ (${azs.join(', ')}) must be available in the region; available: \${join(", ", self.names)}`,
          },
        ],
      },
    });
  }

  /**
   * One subnet per AZ. CKV_AWS_130 / AVD-AWS-0164: no public IP on launch; only
   * the NAT gateway (Elastic IP) and load balancers live in the public ones.
   */
  private subnets(tier: 'public' | 'private', azs: readonly string[], cidrs: readonly string[], tagsFor: (az: string) => Record<string, string>): Subnet[] {
    return azs.map(
      (az, i) =>
        new Subnet(this, `${tier}-${i}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: cidrs[i] as string,
          mapPublicIpOnLaunch: false,
          tags: tagsFor(az),
        }),
    );
  }

  /** One public route table (default route to the internet gateway) shared by the public subnets. */
  private publicRouting(igw: InternetGateway, named: NameTags): void {
    const publicRoutes = new RouteTable(this, 'public-rt', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: named('public'),
    });
    this.publicSubnets.forEach((subnet, i) => new RouteTableAssociation(this, `public-rta-${i}`, { subnetId: subnet.id, routeTableId: publicRoutes.id }));
  }

  /** One NAT gateway (with its Elastic IP) in the first public subnet, or one per AZ. */
  private natGatewaysFor(props: NetworkProps, igw: InternetGateway, named: NameTags): NatGateway[] {
    const natCount = props.natGateways === 'single' ? 1 : props.azs.length;
    return Array.from({ length: natCount }, (_, i) => {
      const az = props.azs[i] as string;
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: named(`nat-${az}`), dependsOn: [igw] });
      return new NatGateway(this, `nat-${i}`, {
        allocationId: eip.id,
        subnetId: (this.publicSubnets[i] as Subnet).id,
        tags: named(`nat-${az}`),
        dependsOn: [igw],
      });
    });
  }

  /** A route table per private subnet, default route to its AZ's NAT gateway (or the single one). */
  private privateRouting(azs: readonly string[], named: NameTags): RouteTable[] {
    return this.privateSubnets.map((subnet, i) => {
      const az = azs[i] as string;
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)] as NatGateway;
      const table = new RouteTable(this, `private-rt-${i}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: named(`private-${az}`),
      });
      new RouteTableAssociation(this, `private-rta-${i}`, { subnetId: subnet.id, routeTableId: table.id });
      return table;
    });
  }

  /** CKV2_AWS_11: VPC flow logs to an encrypted CloudWatch log group, written through their own role. */
  private flowLog(props: NetworkProps, named: NameTags): FlowLog {
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/aws/vpc-flow-logs/${props.name}`,
      retentionInDays: props.flowLogs.retentionDays,
      kmsKeyId: props.flowLogs.kmsKeyArn,
      tags: named('flow-logs'),
    });
    const flowLogRole = new IamRole(this, 'flow-log-role', {
      name: `${props.name}-flow-logs`,
      assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com'),
      tags: named('flow-logs'),
    });
    new IamRolePolicy(this, 'flow-log-policy', {
      name: 'write-flow-logs',
      role: flowLogRole.id,
      policy: policyDocument([
        {
          Sid: 'WriteFlowLogs',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [`${logGroup.arn}:*`],
        },
      ]),
    });
    return new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: props.flowLogs.trafficType ?? 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: named('flow-log'),
    });
  }
}

/** Tags of one resource: the common tags, `extra`, and `Name = <network name>-<suffix>`. */
type NameTags = (suffix: string, extra?: Record<string, string>) => Record<string, string>;

export function validateNetworkProps(props: NetworkProps): void {
  const problems: string[] = [];
  const check = (cidr: string, what: string) => {
    try {
      parseIpv4Cidr(cidr);
      return true;
    } catch (error) {
      problems.push(`${what}: ${(error as Error).message}`);
      return false;
    }
  };
  if (check(props.cidr, 'cidr')) {
    const vpcPrefix = parseIpv4Cidr(props.cidr).prefix;
    if (vpcPrefix < 16 || vpcPrefix > 28) problems.push(`cidr: AWS allows a VPC between /16 and /28 (got /${vpcPrefix})`);
  }
  if (props.azs.length < 2) problems.push(`azs: EKS needs subnets in at least two availability zones (got ${props.azs.length})`);
  if (new Set(props.azs).size !== props.azs.length) problems.push('azs: duplicates');
  for (const [kind, list] of [
    ['privateSubnets', props.privateSubnets],
    ['publicSubnets', props.publicSubnets],
  ] as const) {
    if (list.length !== props.azs.length) problems.push(`${kind}: one CIDR per AZ (${props.azs.length}), got ${list.length}`);
  }
  const all = [...props.privateSubnets, ...props.publicSubnets];
  const valid = all.filter((c) => check(c, 'subnet'));
  if (problems.length === 0) {
    for (const c of valid) if (!cidrContains(props.cidr, c)) problems.push(`subnet ${c} is outside the VPC ${props.cidr}`);
    valid.forEach((a, i) => valid.slice(i + 1).forEach((b) => cidrsOverlap(a, b) && problems.push(`subnets ${a} and ${b} overlap`)));
  }
  if (!Number.isInteger(props.flowLogs.retentionDays) || props.flowLogs.retentionDays < 1)
    problems.push('flowLogs.retentionDays: a positive whole number of days');
  if (problems.length > 0) throw new Error(`Network ${props.name}: ${problems.join('; ')}`);
}
