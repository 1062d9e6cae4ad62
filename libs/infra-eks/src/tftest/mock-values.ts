import { createHash } from 'node:crypto';
import { referencedAddresses, type TfBlock } from '../policy/tf-json.js';

/**
 * Realistic values for what AWS computes on create (ids, ARNs, endpoints),
 * in the formats AWS really returns, for the mocked apply of `terraform test`.
 * The mock provider's defaults are random 8-character strings, which the AWS
 * provider's own validators reject (`launch_template.0.id must begin with
 * 'lt-'`, `role_arn is an invalid ARN`) — and which would hide a resource
 * wired to the wrong kind of id.
 *
 * Values are derived from the resource's address (stable across runs) and
 * from its own synthesized arguments where AWS derives them too (an IAM
 * role's ARN from its name and path, a log group's ARN from its name).
 * A resource type without an entry here is an error, so every resource of a
 * stack gets realistic mocks.
 */
export interface MockAccount {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** The account every mocked run pretends to be in (the IAM documentation's example id). */
export const MOCK_ACCOUNT_ID = '123456789012';

export type MockValues = Record<string, unknown>;

/** What a generator sees of one resource, and how to reach the mocks of the resources it references. */
export interface MockInput {
  readonly address: string;
  readonly body: TfBlock;
  readonly account: MockAccount;
  /** The mocked values of a referenced resource (`aws_eks_cluster.x`). */
  valuesOf(address: string): MockValues;
}

type Generator = (input: MockInput) => MockValues;

export function hex(seed: string, length: number, upper = false): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += createHash('sha256').update(`${seed}#${i}`).digest('hex');
  out = out.slice(0, length);
  return upper ? out.toUpperCase() : out;
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An address in 203.0.113.0/24 (RFC 5737 TEST-NET-3): public-looking, routable nowhere. */
function testNetIp(seed: string): string {
  return `203.0.113.${(Number.parseInt(hex(seed, 2), 16) % 254) + 1}`;
}

function str(body: TfBlock, key: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new Error(`mock: expected a string argument ${key}`);
  return value;
}

/** The one resource an argument refers to, e.g. `${aws_iam_role.x.name}` → `aws_iam_role.x`. */
function referenced(input: MockInput, key: string, type: string): string | undefined {
  return referencedAddresses(input.body[key]).find((a) => a.startsWith(`${type}.`));
}

const ec2 =
  (prefix: string, kind: string): Generator =>
  ({ address, account }) => {
    const id = `${prefix}-${hex(address, 17)}`;
    return { id, arn: `arn:${account.partition}:ec2:${account.region}:${account.accountId}:${kind}/${id}`, owner_id: account.accountId };
  };

const roleArn = ({ body, account }: MockInput): MockValues => {
  const name = str(body, 'name');
  const path = typeof body.path === 'string' ? body.path : '/';
  return { id: name, arn: `arn:${account.partition}:iam::${account.accountId}:role${path}${name}`, unique_id: `AROA${hex(name, 17, true)}` };
};

const GENERATORS: Record<string, Generator> = {
  aws_vpc: (input) => {
    const base = ec2('vpc', 'vpc')(input);
    return {
      ...base,
      default_security_group_id: `sg-${hex(`${input.address}/sg`, 17)}`,
      default_route_table_id: `rtb-${hex(`${input.address}/rtb`, 17)}`,
      main_route_table_id: `rtb-${hex(`${input.address}/rtb`, 17)}`,
      default_network_acl_id: `acl-${hex(`${input.address}/acl`, 17)}`,
      dhcp_options_id: `dopt-${hex(`${input.address}/dopt`, 17)}`,
    };
  },
  aws_subnet: ec2('subnet', 'subnet'),
  aws_internet_gateway: ec2('igw', 'internet-gateway'),
  aws_route_table: ec2('rtb', 'route-table'),
  aws_route_table_association: ({ address }) => ({ id: `rtbassoc-${hex(address, 17)}` }),
  aws_default_security_group: (input) => ({ ...ec2('sg', 'security-group')(input), name: 'default' }),
  aws_flow_log: ec2('fl', 'vpc-flow-log'),
  aws_eip: ({ address, account }) => {
    const id = `eipalloc-${hex(address, 17)}`;
    return {
      id,
      allocation_id: id,
      public_ip: testNetIp(address),
      arn: `arn:${account.partition}:ec2:${account.region}:${account.accountId}:elastic-ip/${id}`,
    };
  },
  aws_nat_gateway: ({ address }) => ({
    id: `nat-${hex(address, 17)}`,
    network_interface_id: `eni-${hex(`${address}/eni`, 17)}`,
    public_ip: testNetIp(address),
    private_ip: '10.0.101.10',
  }),
  aws_launch_template: (input) => ({ ...ec2('lt', 'launch-template')(input), latest_version: 1, default_version: 1 }),
  aws_kms_key: ({ address, account }) => {
    const keyId = uuid(address);
    return { id: keyId, key_id: keyId, arn: `arn:${account.partition}:kms:${account.region}:${account.accountId}:key/${keyId}` };
  },
  aws_kms_alias: (input) => {
    const name = str(input.body, 'name');
    const key = referenced(input, 'target_key_id', 'aws_kms_key');
    return {
      id: name,
      arn: `arn:${input.account.partition}:kms:${input.account.region}:${input.account.accountId}:${name}`,
      ...(key ? { target_key_arn: input.valuesOf(key).arn } : {}),
    };
  },
  aws_cloudwatch_log_group: ({ body, account }) => {
    const name = str(body, 'name');
    return { id: name, arn: `arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:${name}` };
  },
  aws_iam_role: roleArn,
  aws_iam_role_policy: ({ body, address }) => ({ id: `${hex(address, 8)}:${str(body, 'name')}` }),
  aws_iam_role_policy_attachment: ({ address }) => ({ id: `role-${hex(address, 8)}-${hex(`${address}/t`, 20)}` }),
  aws_eks_cluster: ({ body, address, account }) => {
    const name = str(body, 'name');
    const issuerId = hex(`${address}/oidc`, 32, true);
    return {
      id: name,
      arn: `arn:${account.partition}:eks:${account.region}:${account.accountId}:cluster/${name}`,
      endpoint: `https://${hex(`${address}/endpoint`, 32, true)}.gr7.${account.region}.eks.amazonaws.com`,
      identity: [{ oidc: [{ issuer: `https://oidc.eks.${account.region}.amazonaws.com/id/${issuerId}` }] }],
      certificate_authority: [{ data: Buffer.from(`mock CA of ${name}`).toString('base64') }],
      platform_version: 'eks.1',
      status: 'ACTIVE',
    };
  },
  aws_eks_node_group: ({ body, address, account }) => {
    const group = str(body, 'node_group_name');
    // cluster_name is a reference (`${aws_eks_cluster.x.name}`); AWS puts the cluster name in the id and ARN.
    const cluster = `cluster-${hex(`${address}/cluster`, 8)}`;
    return {
      id: `${cluster}:${group}`,
      arn: `arn:${account.partition}:eks:${account.region}:${account.accountId}:nodegroup/${cluster}/${group}/${uuid(address)}`,
      status: 'ACTIVE',
    };
  },
  aws_iam_openid_connect_provider: (input) => {
    const cluster = referenced(input, 'url', 'aws_eks_cluster');
    if (!cluster) throw new Error(`mock: ${input.address}.url does not refer to an aws_eks_cluster`);
    const issuer = (input.valuesOf(cluster).identity as { oidc: { issuer: string }[] }[])[0]?.oidc[0]?.issuer as string;
    const arn = `arn:${input.account.partition}:iam::${input.account.accountId}:oidc-provider/${issuer.replace('https://', '')}`;
    return { id: arn, arn };
  },
  // data sources
  'data.aws_caller_identity': ({ account }) => ({
    id: account.accountId,
    account_id: account.accountId,
    arn: `arn:${account.partition}:iam::${account.accountId}:user/terraform-test`,
    user_id: `AIDA${hex('caller', 17, true)}`,
  }),
  'data.aws_availability_zones': ({ account }) => ({
    id: account.region,
    names: ['a', 'b', 'c'].map((z) => `${account.region}${z}`),
    zone_ids: ['1', '2', '3'].map((n) => `${regionCode(account.region)}-az${n}`),
  }),
  /**
   * Rendering the document to JSON is the provider's work, which a mock does
   * not do; the tests assert the document's arguments instead. The mock is a
   * valid policy (aws_iam_role validates the JSON) that grants nothing.
   */
  'data.aws_iam_policy_document': ({ address }) => ({
    id: hex(address, 10),
    json: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'MockedDocument', Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: '*' } }] }),
  }),
};

/** ap-southeast-2 → apse2 (the zone-id prefix AWS uses). */
function regionCode(region: string): string {
  const [area = '', direction = '', n = ''] = region.split('-');
  const dir = direction.replace('north', 'n').replace('south', 's').replace('east', 'e').replace('west', 'w').replace('central', 'c');
  return `${area}${dir}${n}`;
}

/** Resource types (data sources as `data.<type>`) that have realistic mocks. */
export const MOCKED_TYPES: readonly string[] = Object.keys(GENERATORS);

/**
 * Mocks for every resource and data source given (address → arguments), or
 * an error naming the first one without a generator.
 */
export function mockValuesFor(resources: ReadonlyMap<string, TfBlock>, account: MockAccount): Map<string, MockValues> {
  const done = new Map<string, MockValues>();
  const valuesOf = (address: string): MockValues => {
    const known = done.get(address);
    if (known) return known;
    const body = resources.get(address);
    if (!body) throw new Error(`mock: ${address} is referenced but not in the stack`);
    const type = address.startsWith('data.') ? address.split('.').slice(0, 2).join('.') : (address.split('.')[0] as string);
    const generate = GENERATORS[type];
    if (!generate) throw new Error(`no realistic mock for ${type} (${address}): add one to libs/infra-eks/src/tftest/mock-values.ts`);
    const values = generate({ address, body, account, valuesOf });
    done.set(address, values);
    return values;
  };
  for (const address of resources.keys()) valuesOf(address);
  return done;
}
