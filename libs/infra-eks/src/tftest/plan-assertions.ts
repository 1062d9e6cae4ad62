import type { EnvironmentStack } from '../stacks/environment-stack.js';
import { addressOf } from './address.js';
import { assertion, lit, setOf, shownValue, strings, type Assertion } from './hcl.js';
import type { SeedContract } from './seed-contract.js';

/**
 * The mocked plan (`command = plan`, mocks known at plan): the seed's
 * contract on the stack as terraform evaluates it — references resolved,
 * data sources read (mocked), the provider's validators run on the values.
 * Every address comes from the stack's constructs.
 */
export function planAssertions(stack: EnvironmentStack, seed: SeedContract): Assertion[] {
  const { network, cluster } = stack;
  const config = stack.config;
  const vpc = addressOf(network.vpc);
  const zones = addressOf(network.availableZones);
  const privateSubnets = network.privateSubnets.map(addressOf);
  const publicSubnets = network.publicSubnets.map(addressOf);
  const ids = (addresses: readonly string[]) => `[${addresses.map((a) => `${a}.id`).join(', ')}]`;
  const out: Assertion[] = [];

  out.push(assertion(`${vpc}.cidr_block == ${lit(seed.vpcCidr)}`, `${vpc}: cidr_block is \${${vpc}.cidr_block}, the seed contract says ${seed.vpcCidr}`));
  out.push(assertion(`${vpc}.enable_dns_hostnames && ${vpc}.enable_dns_support`, `${vpc}: DNS hostnames and support must be on (EKS nodes need them)`));

  for (const [kind, addresses, cidrs] of [
    ['private', privateSubnets, seed.privateSubnets],
    ['public', publicSubnets, seed.publicSubnets],
  ] as const) {
    if (addresses.length !== cidrs.length) {
      throw new Error(`stack ${config.env} has ${addresses.length} ${kind} subnets, the seed contract ${cidrs.length}`);
    }
    addresses.forEach((subnet, i) => {
      const want = cidrs[i] as string;
      out.push(
        assertion(
          `${subnet}.cidr_block == ${lit(want)}`,
          `${subnet} (${kind} subnet ${i + 1}): cidr_block is \${${subnet}.cidr_block}, the seed contract says ${want}`,
        ),
      );
      out.push(assertion(`${subnet}.vpc_id == ${vpc}.id`, `${subnet} (${kind} subnet ${i + 1}) is not in ${vpc}`));
      out.push(
        assertion(
          `contains(${zones}.names, ${subnet}.availability_zone)`,
          `${subnet} (${kind} subnet ${i + 1}): zone \${${subnet}.availability_zone} is not among the region's available zones ${shownValue(`${zones}.names`)}`,
        ),
      );
      out.push(assertion(`!${subnet}.map_public_ip_on_launch`, `${subnet} (${kind} subnet ${i + 1}) hands out public IPs on launch`));
    });
    out.push(
      assertion(
        `length(distinct([${addresses.map((a) => `${a}.availability_zone`).join(', ')}])) == ${addresses.length}`,
        `the ${kind} subnets (${addresses.join(', ')}) must be in ${addresses.length} different zones, they are in ${shownValue(`[${addresses.map((a) => `${a}.availability_zone`).join(', ')}]`)}`,
      ),
    );
  }

  // NAT: what the private route tables actually route 0.0.0.0/0 through.
  const tables = network.privateRouteTables.map(addressOf);
  const natTargets = `distinct(flatten([for rt in [${tables.join(', ')}] : [for r in rt.route : r.nat_gateway_id if r.cidr_block == "0.0.0.0/0"]]))`;
  out.push(
    assertion(
      `length(${natTargets}) == ${seed.natGateways}`,
      `private route tables ${tables.join(', ')} send 0.0.0.0/0 through ${shownValue(natTargets)}: the contract is ${seed.natGateways === 1 ? 'one NAT gateway' : `one NAT gateway per zone (${seed.natGateways})`} for ${config.env}`,
    ),
  );
  for (const nat of network.natGateways.map(addressOf)) {
    out.push(assertion(`contains(${ids(publicSubnets)}, ${nat}.subnet_id)`, `${nat} is not in a public subnet (subnet_id \${${nat}.subnet_id})`));
    out.push(assertion(`contains(${natTargets}, ${nat}.id)`, `${nat} exists but no private route table uses it (a NAT gateway billed for nothing)`));
  }

  // EKS
  const eks = addressOf(cluster.cluster);
  const nodes = addressOf(cluster.nodeGroup);
  const key = addressOf(cluster.secretsKey);
  const ng = seed.nodeGroup;
  out.push(
    assertion(
      `${eks}.version == ${lit(config.cluster.kubernetesVersion)}`,
      `${eks}: version is \${${eks}.version}, expected ${config.cluster.kubernetesVersion}`,
    ),
  );
  out.push(
    assertion(
      `toset(${eks}.vpc_config[0].subnet_ids) == toset(${ids(privateSubnets)})`,
      `${eks}: control-plane ENIs must be in the private subnets ${privateSubnets.join(', ')}, got ${shownValue(`${eks}.vpc_config[0].subnet_ids`)}`,
    ),
  );
  out.push(
    assertion(
      `toset(${nodes}.subnet_ids) == toset(${ids(privateSubnets)})`,
      `${nodes}: nodes must run in the private subnets ${privateSubnets.join(', ')}, got ${shownValue(`${nodes}.subnet_ids`)}`,
    ),
  );
  out.push(
    assertion(
      `tolist(${nodes}.instance_types) == tolist(${strings(ng.instanceTypes)}) && ${nodes}.capacity_type == ${lit(ng.capacityType)}`,
      `${nodes}: instance types ${shownValue(`${nodes}.instance_types`)} capacity \${${nodes}.capacity_type}, the contract says ${ng.instanceTypes.join(', ')} ${ng.capacityType}`,
    ),
  );
  out.push(
    assertion(
      `${nodes}.scaling_config[0].min_size == ${ng.minSize} && ${nodes}.scaling_config[0].max_size == ${ng.maxSize} && ${nodes}.scaling_config[0].desired_size == ${ng.desiredSize}`,
      `${nodes}: scaling min/max/desired is \${${nodes}.scaling_config[0].min_size}/\${${nodes}.scaling_config[0].max_size}/\${${nodes}.scaling_config[0].desired_size}, the contract says ${ng.minSize}/${ng.maxSize}/${ng.desiredSize}`,
    ),
  );
  out.push(
    assertion(
      `${eks}.vpc_config[0].endpoint_private_access && ${eks}.vpc_config[0].endpoint_public_access && toset(${eks}.vpc_config[0].public_access_cidrs) == ${setOf(config.cluster.adminCidrs)}`,
      `${eks}: the public endpoint must be open only to the configured admin CIDRs ${config.cluster.adminCidrs.join(', ')} (private endpoint on), got ${shownValue(`${eks}.vpc_config[0].public_access_cidrs`)}`,
    ),
  );
  out.push(
    assertion(
      `toset(${eks}.enabled_cluster_log_types) == ${setOf(seed.logTypes)}`,
      `${eks}: control-plane log types are ${shownValue(`${eks}.enabled_cluster_log_types`)}, all five are required: ${seed.logTypes.join(', ')}`,
    ),
  );
  out.push(
    assertion(
      `${eks}.encryption_config[0].resources == toset(["secrets"]) && ${eks}.encryption_config[0].provider[0].key_arn == ${key}.arn && ${key}.enable_key_rotation`,
      `${eks}: secrets must be envelope-encrypted with ${key} (rotation on); encryption_config is ${shownValue(`${eks}.encryption_config`)}`,
    ),
  );
  return out;
}
