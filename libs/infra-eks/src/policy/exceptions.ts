import type { EnvironmentConfig } from '../stacks/env-config.js';
import type { PolicyException } from './types.js';

/** Exceptions every stack carries. Each one is printed, with its reason, by validate. */
export const STANDING_EXCEPTIONS: readonly PolicyException[] = [
  {
    ruleId: 'CKV_AWS_39',
    resource: 'aws_eks_cluster.',
    reason:
      'Spec Part 4 sets cluster_endpoint_public_access = true: Phase 2 has no VPN or bastion to reach a private-only endpoint. ' +
      'Mitigated: public_access_cidrs limited to the admin CIDRs (CKV_AWS_38 enforced), private endpoint also on so nodes never use the public one, ' +
      'authentication through IAM access entries. Revisit when a VPN/bastion exists.',
  },
];

/** Standing exceptions plus the ones a config opts into with a written reason. */
export function exceptionsFor(config: EnvironmentConfig): PolicyException[] {
  const list = [...STANDING_EXCEPTIONS];
  const anywhere = config.cluster.acknowledgePublicAccessFromAnywhere?.trim();
  if (anywhere) list.push({ ruleId: 'CKV_AWS_38', resource: 'aws_eks_cluster.', reason: `acknowledged in config: ${anywhere}` });
  return list;
}
