import { APP_NAME, IMAGE_REPOSITORY } from '@llmops-rag/contract';

/** Object names and labels of the spec (Part 2). The deploy and the rehearsal look objects up by these. */
export const NAMES = {
  app: APP_NAME,
  configMap: 'rag-api-config',
  secret: 'rag-api-secrets',
  deployment: 'rag-api',
  container: 'api',
  service: 'rag-api-service',
  podDisruptionBudget: 'rag-api',
  horizontalPodAutoscaler: 'rag-api',
  networkPolicy: 'rag-api',
  /** Local image name of the spec; prod pins a tag or digest of it. */
  imageRepository: IMAGE_REPOSITORY,
} as const;

/** The Deployment's selector (immutable once applied, so exactly the spec's). */
export const SELECTOR_LABELS = { app: NAMES.app } as const;

/** Recommended labels on every object (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
export const COMMON_LABELS = {
  'app.kubernetes.io/part-of': 'llmops-rag',
  'app.kubernetes.io/managed-by': 'cdk8s',
} as const;

/** Pod-template annotation holding the ConfigMap checksum: a config change rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

/** Annotation on the Secret telling readers where its values really come from. */
export const SECRET_SOURCE_ANNOTATION = 'llmops-rag.io/secret-values';

/** IRSA: the role the pods' ServiceAccount assumes (read by the EKS pod identity webhook). */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/** Account used for the prod IRSA ARN when AWS_ACCOUNT_ID is unset; the report warns about it. */
export const PLACEHOLDER_AWS_ACCOUNT_ID = '000000000000';
