export { APP_ENVS, isAppEnv, type AppEnv } from '@llmops-rag/contract';
export { AWS_PARTITIONS, awsPartitionOf, awsRegionProblems, type AwsPartition } from './aws-regions.js';
export { ConfigError, formatProblems, type ConfigProblem } from './config-error.js';
export { describeEnvKeys, ENV_KEYS, isSecretKey, keysPlacedIn, SECRET_KEYS, secretKeys, type EnvKeyInfo } from './env-keys.js';
export {
  envMeta,
  envSchema,
  PLACEHOLDER_SECRET,
  type EnvConfig,
  type EnvDefaults,
  type EnvKey,
  type EnvKeyMeta,
  type Placement,
} from './env-schema.js';
export { configMapData, containerFixedValues } from './kubernetes-projection.js';
export { loadConfig, type RawEnv } from './load-config.js';
export { redactConfig, REDACTED, secretLogPaths } from './redact.js';
export { s3BucketProblems } from './s3-bucket-rules.js';
export { looksLikePlaceholder, secretWhitespaceProblems } from './secret-rules.js';
export { SHOWN_CHARACTERS, showValue } from '@llmops-rag/contract';
