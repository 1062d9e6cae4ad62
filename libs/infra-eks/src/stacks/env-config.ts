import { configMapData } from '@llmops-rag/config';
import { clusterName, PROJECT_NAME, ragApiRoleName, ragApiServiceAccount, type ServiceAccountRef } from '../contract/naming.js';
import { STACK_ENVS, type StackEnv } from '../contract/outputs.js';
import { DEFAULT_KUBERNETES_VERSION, type NodeGroupProps } from '../constructs/cluster.js';
import type { NatGatewayMode, NetworkProps } from '../constructs/network.js';

/**
 * Admin CIDRs for the public API endpoint come from the environment
 * (comma-separated). Unset, the stack uses an RFC 5737 documentation address:
 * it synthesizes and validates, and if applied the endpoint is reachable from
 * nowhere on the internet (fail closed) — never 0.0.0.0/0.
 */
export const ADMIN_CIDRS_ENV = 'LLMOPS_EKS_ADMIN_CIDRS';
export const PLACEHOLDER_ADMIN_CIDR = '192.0.2.1/32';

/** Everything that differs between environments, in one typed object. */
export interface EnvironmentConfig {
  readonly env: StackEnv;
  /** From libs/config (AWS_REGION default of this env). */
  readonly region: string;
  /** From libs/config (DOCUMENTS_BUCKET default of this env). */
  readonly documentsBucket: string;
  /** The Network construct's props minus what the stack wires itself (cluster tag, flow-log KMS key, tags). */
  readonly network: Omit<NetworkProps, 'clusterName' | 'flowLogs' | 'tags'> & {
    readonly flowLogRetentionDays: number;
  };
  readonly cluster: {
    readonly name: string;
    readonly kubernetesVersion: string;
    readonly adminCidrs: readonly string[];
    /** True when adminCidrs is the placeholder (reported by validate). */
    readonly adminCidrsArePlaceholder: boolean;
    /** A written reason; without it a /0 admin CIDR is refused. */
    readonly acknowledgePublicAccessFromAnywhere?: string;
    readonly logRetentionDays: number;
    readonly nodeGroup: NodeGroupProps;
    readonly imdsHopLimit: 1 | 2;
  };
  readonly ragApi: {
    readonly roleName: string;
    readonly serviceAccount: ServiceAccountRef;
  };
  /** Provider default_tags: on every resource that supports tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface ConfigInputs {
  /** Admin CIDRs; default: $LLMOPS_EKS_ADMIN_CIDRS, else the placeholder. */
  readonly adminCidrs?: readonly string[];
  readonly acknowledgePublicAccessFromAnywhere?: string;
}

export function adminCidrsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env[ADMIN_CIDRS_ENV]?.trim();
  if (!raw) return undefined;
  return raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}

const SHARED_NETWORK = {
  cidr: '10.0.0.0/16',
  azs: ['ap-southeast-2a', 'ap-southeast-2b'],
  privateSubnets: ['10.0.1.0/24', '10.0.2.0/24'],
  publicSubnets: ['10.0.101.0/24', '10.0.102.0/24'],
} as const;

const PER_ENV = {
  dev: {
    natGateways: 'single',
    flowLogRetentionDays: 30,
    logRetentionDays: 30,
    // The spec's initial node group.
    nodeGroup: { instanceTypes: ['t3.medium'], minSize: 1, maxSize: 2, desiredSize: 1, capacityType: 'ON_DEMAND', diskSizeGiB: 20 },
  },
  prod: {
    natGateways: 'one-per-az',
    flowLogRetentionDays: 365,
    logRetentionDays: 365,
    // One node per AZ so losing an AZ keeps the API up; room to double.
    nodeGroup: { instanceTypes: ['t3.medium'], minSize: 2, maxSize: 4, desiredSize: 2, capacityType: 'ON_DEMAND', diskSizeGiB: 20 },
  },
} as const satisfies Record<StackEnv, { natGateways: NatGatewayMode; flowLogRetentionDays: number; logRetentionDays: number; nodeGroup: NodeGroupProps }>;

export function environmentConfig(env: StackEnv, inputs: ConfigInputs = {}): EnvironmentConfig {
  const app = configMapData(env);
  const region = app.AWS_REGION;
  const documentsBucket = app.DOCUMENTS_BUCKET;
  if (!region || !documentsBucket) throw new Error(`libs/config has no AWS_REGION/DOCUMENTS_BUCKET default for ${env}`);
  const azs = SHARED_NETWORK.azs.filter((az) => az.startsWith(region));
  if (azs.length !== SHARED_NETWORK.azs.length) {
    throw new Error(`AZs ${SHARED_NETWORK.azs.join(', ')} are not in the region ${region} that libs/config gives for ${env}`);
  }
  const fromInputs = inputs.adminCidrs ?? adminCidrsFromEnv();
  const adminCidrs = fromInputs && fromInputs.length > 0 ? [...fromInputs] : [PLACEHOLDER_ADMIN_CIDR];
  const per = PER_ENV[env];
  return {
    env,
    region,
    documentsBucket,
    network: {
      name: `${PROJECT_NAME}-vpc-${env}`,
      ...SHARED_NETWORK,
      natGateways: per.natGateways,
      flowLogRetentionDays: per.flowLogRetentionDays,
    },
    cluster: {
      name: clusterName(env),
      kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
      adminCidrs,
      adminCidrsArePlaceholder: !fromInputs || fromInputs.length === 0,
      ...(inputs.acknowledgePublicAccessFromAnywhere ? { acknowledgePublicAccessFromAnywhere: inputs.acknowledgePublicAccessFromAnywhere } : {}),
      logRetentionDays: per.logRetentionDays,
      nodeGroup: per.nodeGroup,
      imdsHopLimit: 1,
    },
    ragApi: { roleName: ragApiRoleName(env), serviceAccount: ragApiServiceAccount(env) },
    tags: { Project: PROJECT_NAME, Environment: env, ManagedBy: 'cdktf', Source: 'libs/infra-eks' },
  };
}

export function allEnvironmentConfigs(inputs: ConfigInputs = {}): EnvironmentConfig[] {
  return STACK_ENVS.map((env) => environmentConfig(env, inputs));
}
