import type { AppEnv } from './envs.js';

/**
 * Names shared by the infrastructure (libs/infra-eks) and the manifests
 * (libs/k8s-manifests): the cluster, and the IRSA pair of a ServiceAccount and
 * the IAM role it assumes.
 */
export const PROJECT_NAME = 'llmops-rag';

export function clusterName(env: AppEnv): string {
  return `${PROJECT_NAME}-eks-${env}`;
}

/** The Kubernetes ServiceAccount the rag-api pods run as; its IRSA trust is limited to exactly this. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export function ragApiServiceAccount(env: AppEnv): ServiceAccountRef {
  return { namespace: env, name: 'rag-api' };
}

export function ragApiRoleName(env: AppEnv): string {
  return `${PROJECT_NAME}-${env}-rag-api-irsa`;
}

/**
 * The ARN the IRSA role will have once applied. The account id is an input
 * (the stack is never applied here); a 12-digit check keeps typos out.
 */
export function ragApiRoleArn(accountId: string, env: AppEnv): string {
  if (!/^\d{12}$/.test(accountId)) {
    throw new Error(`AWS account id must be 12 digits (got ${JSON.stringify(accountId)}); set AWS_ACCOUNT_ID`);
  }
  return `arn:aws:iam::${accountId}:role/${ragApiRoleName(env)}`;
}
