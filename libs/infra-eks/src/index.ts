export * from './contract/index.js';
export { Network, validateNetworkProps, type NetworkProps, type NatGatewayMode } from './constructs/network.js';
export {
  ALL_CONTROL_PLANE_LOG_TYPES,
  Cluster,
  DEFAULT_KUBERNETES_VERSION,
  MINIMUM_KUBERNETES_VERSION,
  validateClusterProps,
  type ClusterProps,
  type NodeGroupProps,
} from './constructs/cluster.js';
export { ragApiStatements, ServiceAccountRole, serviceAccountSubject, type ServiceAccountRoleProps } from './constructs/service-account-role.js';
export { policyDocument, type PolicyStatementJson } from './constructs/iam-json.js';
export {
  ADMIN_CIDRS_ENV,
  allEnvironmentConfigs,
  environmentConfig,
  PLACEHOLDER_ADMIN_CIDR,
  type ConfigInputs,
  type EnvironmentConfig,
} from './stacks/env-config.js';
export { EnvironmentStack } from './stacks/environment-stack.js';
export { synthesizeStacks, type SynthesizedStack } from './stacks/app.js';
export { evaluatePolicy, type PolicyReport } from './policy/evaluate.js';
export { POLICY_RULES } from './policy/rules.js';
export { exceptionsFor, STANDING_EXCEPTIONS } from './policy/exceptions.js';
export type { Finding, PolicyException, PolicyRule, RuleResult } from './policy/types.js';
export { estimateMonthlyCost, type CostEstimate, type CostLine } from './cost/estimate.js';
export { PRICE_TABLE, USAGE_ASSUMPTIONS } from './cost/prices.js';
export { cliConfigHcl, MIRROR_ENV, terraformEnvironment } from './terraform/cli-config.js';
export { findTerraform, initAndValidate, TERRAFORM_INSTALL_URL, TerraformMissingError } from './terraform/run.js';
