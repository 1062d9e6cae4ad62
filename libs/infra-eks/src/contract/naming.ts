/**
 * Names shared by the infrastructure and the manifests. libs/contract owns
 * them (the manifests read them there, without importing this library); the
 * stacks and tests of this library import them through this module.
 */
export { clusterName, PROJECT_NAME, ragApiRoleArn, ragApiRoleName, ragApiServiceAccount, type ServiceAccountRef } from '@llmops-rag/contract';
