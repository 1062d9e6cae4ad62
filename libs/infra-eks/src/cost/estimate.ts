import { block, blocks, refersTo, resourcesOf, strings, type TfJson } from '../policy/tf-json.js';
import { DEFAULT_USAGE, PRICE_TABLE, type UsageAssumptions } from './prices.js';

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
  /** Things the estimate could not price (e.g. an instance type missing from the table). */
  readonly unpriced: readonly string[];
}

type Prices = typeof PRICE_TABLE;

/**
 * Monthly cost of a synthesized stack, counted from the resources in
 * cdk.tf.json (what would be applied), not from the config.
 */
export function estimateMonthlyCost(tf: TfJson, usage: UsageAssumptions = DEFAULT_USAGE, prices: Prices = PRICE_TABLE): CostEstimate {
  const h = prices.hoursPerMonth;
  const lines: CostLine[] = [];
  const unpriced: string[] = [];
  const add = (item: string, quantity: string, monthlyUsd: number) => {
    if (monthlyUsd > 0) lines.push({ item, quantity, monthlyUsd });
  };

  const clusters = resourcesOf(tf, 'aws_eks_cluster');
  add('EKS control plane', `${clusters.length} × ${h} h × $${prices.eksControlPlanePerHour}`, clusters.length * h * prices.eksControlPlanePerHour);

  const templates = resourcesOf(tf, 'aws_launch_template');
  for (const ng of resourcesOf(tf, 'aws_eks_node_group')) {
    const desired = Number(block(ng.body.scaling_config)?.desired_size ?? 0);
    const type = strings(ng.body.instance_types)[0] ?? 't3.medium';
    const rate = prices.ec2PerHour[type];
    if (rate === undefined) unpriced.push(`instance type ${type}`);
    else add(`nodes (${type}, ${String(ng.body.capacity_type ?? 'ON_DEMAND')})`, `${desired} × ${h} h × $${rate}`, desired * h * rate);
    const lt = block(ng.body.launch_template);
    const template = templates.find((t) => refersTo(lt?.id ?? lt?.name, t));
    const disk = blocks(template?.body.block_device_mappings)
      .map((m) => Number(block(m.ebs)?.volume_size ?? 0))
      .reduce((a, b) => a + b, 0);
    const gib = disk > 0 ? disk : Number(ng.body.disk_size ?? 20);
    add('node root volumes (gp3)', `${desired} × ${gib} GiB × $${prices.ebsGp3PerGbMonth}`, desired * gib * prices.ebsGp3PerGbMonth);
  }

  const nats = resourcesOf(tf, 'aws_nat_gateway').length;
  add('NAT gateways', `${nats} × ${h} h × $${prices.natGatewayPerHour}`, nats * h * prices.natGatewayPerHour);
  if (nats > 0) {
    add(
      'NAT data processed',
      `${usage.natGbProcessedPerMonth} GB × $${prices.natGatewayPerGbProcessed} (assumed)`,
      usage.natGbProcessedPerMonth * prices.natGatewayPerGbProcessed,
    );
  }
  const eips = resourcesOf(tf, 'aws_eip').length;
  add('public IPv4 (Elastic IPs)', `${eips} × ${h} h × $${prices.publicIpv4PerHour}`, eips * h * prices.publicIpv4PerHour);

  const keys = resourcesOf(tf, 'aws_kms_key').length;
  add('KMS keys', `${keys} × $${prices.kmsKeyPerMonth}`, keys * prices.kmsKeyPerMonth);

  const logGroups = resourcesOf(tf, 'aws_cloudwatch_log_group').length;
  if (logGroups > 0) {
    add(
      'CloudWatch Logs',
      `${usage.logGbIngestedPerMonth} GB ingested × $${prices.cloudwatchLogsIngestPerGb} + storage (assumed, ${logGroups} groups)`,
      usage.logGbIngestedPerMonth * (prices.cloudwatchLogsIngestPerGb + prices.cloudwatchLogsStoragePerGbMonth),
    );
  }

  const monthlyUsd = lines.reduce((sum, l) => sum + l.monthlyUsd, 0);
  return { lines, monthlyUsd, unpriced };
}

export function usd(n: number): string {
  return `$${n.toFixed(2)}`;
}
