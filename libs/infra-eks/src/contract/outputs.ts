import type { AppEnv } from '@llmops-rag/contract';

/**
 * The environments that get an EKS stack, and the names of the stack outputs
 * (`terraform output -json` keys). Framework-free like naming.ts: consumers
 * (e.g. a deploy script reading `terraform output`) import this without cdktf.
 */
export const STACK_ENVS = ['dev', 'prod'] as const satisfies readonly AppEnv[];
export type StackEnv = (typeof STACK_ENVS)[number];

/** The stack id: `dist/infra-eks/<stackName>/cdk.tf.json`. */
export function stackName(env: StackEnv): string {
  return env;
}

export const STACK_OUTPUTS = {
  vpcId: 'vpc_id',
  privateSubnetIds: 'private_subnet_ids',
  publicSubnetIds: 'public_subnet_ids',
  clusterName: 'cluster_name',
  clusterEndpoint: 'cluster_endpoint',
  clusterOidcIssuerUrl: 'cluster_oidc_issuer_url',
  oidcProviderArn: 'oidc_provider_arn',
  ragApiRoleArn: 'rag_api_role_arn',
  ragApiServiceAccount: 'rag_api_service_account',
} as const;
