import type { StackEnv } from '../contract/outputs.js';

/**
 * What the spec's Part 4 (and its dev choices) promises about each stack,
 * written down independently of env-config.ts: the mocked plan compares the
 * synthesized stacks against this, so a drifting config fails the test
 * instead of changing the expectation with it.
 */
export interface SeedContract {
  readonly vpcCidr: string;
  /** One per AZ, in AZ order. */
  readonly privateSubnets: readonly string[];
  readonly publicSubnets: readonly string[];
  /** How many distinct NAT gateways the private subnets route through. */
  readonly natGateways: number;
  readonly nodeGroup: {
    readonly instanceTypes: readonly string[];
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredSize: number;
    readonly capacityType: string;
  };
  readonly logTypes: readonly string[];
}

const NETWORK = {
  vpcCidr: '10.0.0.0/16',
  privateSubnets: ['10.0.1.0/24', '10.0.2.0/24'],
  publicSubnets: ['10.0.101.0/24', '10.0.102.0/24'],
} as const;

const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export const SEED_CONTRACT: Record<StackEnv, SeedContract> = {
  // spec 4.1 (single_nat_gateway = true "to save costs in Dev") and 4.2 (t3.medium, min 1, max 2, desired 1, ON_DEMAND)
  dev: {
    ...NETWORK,
    natGateways: 1,
    nodeGroup: { instanceTypes: ['t3.medium'], minSize: 1, maxSize: 2, desiredSize: 1, capacityType: 'ON_DEMAND' },
    logTypes: LOG_TYPES,
  },
  // prod: one NAT gateway per zone, and one node per zone (min = desired = 2) with room to double
  prod: {
    ...NETWORK,
    natGateways: 2,
    nodeGroup: { instanceTypes: ['t3.medium'], minSize: 2, maxSize: 4, desiredSize: 2, capacityType: 'ON_DEMAND' },
    logTypes: LOG_TYPES,
  },
};
