import type { TfJson } from './tf-json.js';

export interface Finding {
  /** Terraform address, e.g. `aws_eks_cluster.eks_cluster_55B0C966`. */
  readonly resource: string;
  readonly message: string;
}

export interface PolicyRule {
  /** Our id: the checkov id (and the trivy/tfsec id when there is one). */
  readonly id: string;
  /** Equivalent scanner ids, shown in the report. */
  readonly aliases: readonly string[];
  readonly title: string;
  /** What to change when the rule fails. */
  readonly fix: string;
  /** Resource types the rule looks at; none present → not applicable. */
  readonly appliesTo: readonly string[];
  readonly check: (tf: TfJson) => Finding[];
}

/** A rule that is knowingly not met, with the reason, shown in the report. */
export interface PolicyException {
  readonly ruleId: string;
  /** Limit to resources whose address contains this; default all. */
  readonly resource?: string;
  readonly reason: string;
}

export type RuleStatus = 'pass' | 'fail' | 'excepted' | 'n/a';

export interface RuleResult {
  readonly rule: PolicyRule;
  readonly status: RuleStatus;
  readonly findings: readonly Finding[];
  readonly excepted: readonly (Finding & { reason: string })[];
}
