import { clusterName, ragApiRoleArn, ragApiServiceAccount } from '../contract/naming.js';
import { STACK_OUTPUTS } from '../contract/outputs.js';
import { serviceAccountSubject } from '../constructs/service-account-role.js';
import type { EnvironmentStack } from '../stacks/environment-stack.js';
import { addressOf } from './address.js';
import { assertion, lit, shownValue, type Assertion } from './hcl.js';

/** What the mocked apply compares against: the issuer host "AWS" returned for the cluster, and the account. */
export interface ApplyExpectations {
  readonly accountId: string;
  /** `oidc.eks.<region>.amazonaws.com/id/<32 hex>`, the mocked cluster's issuer without https:// */
  readonly issuerHost: string;
}

const re = (pattern: string) => lit(pattern);

/**
 * The mocked apply (`command = apply`, every computed id and ARN mocked in
 * AWS's real format): the outputs are well-formed, and the rag-api's IRSA
 * trust names this cluster's OIDC issuer with exactly the service account
 * the manifests run as (`ragApiServiceAccount(env)` of the contract, which
 * libs/k8s-manifests imports too).
 */
export function applyAssertions(stack: EnvironmentStack, expect: ApplyExpectations): Assertion[] {
  const { env, region } = stack.config;
  const o = (name: string) => `output.${name}`;
  const eks = addressOf(stack.cluster.cluster);
  const oidc = addressOf(stack.cluster.oidcProvider);
  const lt = addressOf(stack.cluster.launchTemplate);
  const nodes = addressOf(stack.cluster.nodeGroup);
  const role = addressOf(stack.ragApiRole.role);
  const trust = addressOf(stack.ragApiRole.trustPolicy);
  const privateSubnets = stack.network.privateSubnets.map(addressOf);
  // Regions are [a-z0-9-]: nothing to escape in a pattern.
  const regionRe = region;
  const subject = serviceAccountSubject(ragApiServiceAccount(env));
  const statement = `${trust}.statement[0]`;
  const condition = (key: string, value: string) =>
    `length([for c in ${statement}.condition : c if c.test == "StringEquals" && c.variable == ${lit(`${expect.issuerHost}:${key}`)} && toset(c.values) == toset([${lit(value)}])]) == 1`;
  const out: Assertion[] = [];

  out.push(
    assertion(
      `can(regex(${re(`^https://[0-9A-F]{32}\\.[a-z0-9]+\\.${regionRe}\\.eks\\.amazonaws\\.com$`)}, ${o(STACK_OUTPUTS.clusterEndpoint)}))`,
      `output ${STACK_OUTPUTS.clusterEndpoint} (${eks}.endpoint) is not an EKS endpoint URL: \${${o(STACK_OUTPUTS.clusterEndpoint)}}`,
    ),
  );
  out.push(
    assertion(
      `${o(STACK_OUTPUTS.clusterOidcIssuerUrl)} == "https://${expect.issuerHost}"`,
      `output ${STACK_OUTPUTS.clusterOidcIssuerUrl} is \${${o(STACK_OUTPUTS.clusterOidcIssuerUrl)}}, not the issuer of ${eks} (https://${expect.issuerHost})`,
    ),
  );
  out.push(
    assertion(
      `can(regex(${re(`^arn:aws:iam::[0-9]{12}:oidc-provider/oidc\\.eks\\.${regionRe}\\.amazonaws\\.com/id/[0-9A-F]{32}$`)}, ${o(STACK_OUTPUTS.oidcProviderArn)})) && ${o(STACK_OUTPUTS.oidcProviderArn)} == ${oidc}.arn`,
      `output ${STACK_OUTPUTS.oidcProviderArn} is not the ARN of ${oidc}: \${${o(STACK_OUTPUTS.oidcProviderArn)}}`,
    ),
  );
  out.push(
    assertion(
      `${oidc}.url == ${eks}.identity[0].oidc[0].issuer && toset(${oidc}.client_id_list) == toset(["sts.amazonaws.com"])`,
      `${oidc} must be the OIDC provider of ${eks}'s issuer with client sts.amazonaws.com (url \${${oidc}.url})`,
    ),
  );
  out.push(
    assertion(
      `${o(STACK_OUTPUTS.ragApiRoleArn)} == ${lit(ragApiRoleArn(expect.accountId, env))}`,
      `output ${STACK_OUTPUTS.ragApiRoleArn} is \${${o(STACK_OUTPUTS.ragApiRoleArn)}}, the contract (ragApiRoleArn) says ${ragApiRoleArn(expect.accountId, env)}`,
    ),
  );
  out.push(
    assertion(
      `${o(STACK_OUTPUTS.clusterName)} == ${lit(clusterName(env))}`,
      `output ${STACK_OUTPUTS.clusterName} is \${${o(STACK_OUTPUTS.clusterName)}}, the contract says ${clusterName(env)}`,
    ),
  );
  out.push(
    assertion(`can(regex("^vpc-[0-9a-f]{17}$", ${o(STACK_OUTPUTS.vpcId)}))`, `output ${STACK_OUTPUTS.vpcId} is not a VPC id: \${${o(STACK_OUTPUTS.vpcId)}}`),
  );
  out.push(
    assertion(
      `alltrue([for id in concat(${o(STACK_OUTPUTS.privateSubnetIds)}, ${o(STACK_OUTPUTS.publicSubnetIds)}) : can(regex("^subnet-[0-9a-f]{17}$", id))]) && ${o(STACK_OUTPUTS.privateSubnetIds)} == [${privateSubnets.map((s) => `${s}.id`).join(', ')}]`,
      `outputs ${STACK_OUTPUTS.privateSubnetIds}/${STACK_OUTPUTS.publicSubnetIds} must be subnet ids, the private ones of ${privateSubnets.join(', ')}: ${shownValue(o(STACK_OUTPUTS.privateSubnetIds))}`,
    ),
  );
  out.push(
    assertion(
      `${o(STACK_OUTPUTS.ragApiServiceAccount)} == ${lit(subject)}`,
      `output ${STACK_OUTPUTS.ragApiServiceAccount} is \${${o(STACK_OUTPUTS.ragApiServiceAccount)}}, the manifests run as ${subject}`,
    ),
  );
  out.push(
    assertion(
      `${nodes}.launch_template[0].id == ${lt}.id && startswith(${nodes}.launch_template[0].id, "lt-")`,
      `${nodes} must use ${lt} (launch_template id \${${nodes}.launch_template[0].id})`,
    ),
  );

  // IRSA trust
  out.push(
    assertion(
      `length(${trust}.statement) == 1 && ${statement}.effect == "Allow" && ${statement}.actions == toset(["sts:AssumeRoleWithWebIdentity"])`,
      `${trust}: expected one Allow sts:AssumeRoleWithWebIdentity statement, got ${shownValue(`${trust}.statement`)}`,
    ),
  );
  out.push(
    assertion(
      `toset(flatten([for p in ${statement}.principals : p.identifiers if p.type == "Federated"])) == toset([${oidc}.arn])`,
      `${trust}: the only federated principal must be ${oidc} (\${${oidc}.arn}), got ${shownValue(`${statement}.principals`)}`,
    ),
  );
  out.push(
    assertion(
      `length(${statement}.condition) == 2 && ${condition('sub', subject)}`,
      `${trust}: needs StringEquals ${expect.issuerHost}:sub = ${subject} (and nothing looser), conditions are ${shownValue(`${statement}.condition`)}`,
    ),
  );
  out.push(
    assertion(
      condition('aud', 'sts.amazonaws.com'),
      `${trust}: needs StringEquals ${expect.issuerHost}:aud = sts.amazonaws.com, conditions are ${shownValue(`${statement}.condition`)}`,
    ),
  );
  out.push(assertion(`${role}.assume_role_policy == ${trust}.json`, `${role} does not use the trust policy ${trust}`));
  return out;
}
