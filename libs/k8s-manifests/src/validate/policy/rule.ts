import type { KubeObject } from '@llmops-rag/contract';

export const RULE_IDS = [
  'K8S-SEC-001',
  'K8S-SEC-002',
  'K8S-SEC-003',
  'K8S-SEC-004',
  'K8S-SEC-005',
  'K8S-SEC-006',
  'K8S-SEC-007',
  'K8S-SEC-008',
  'K8S-IMG-001',
  'K8S-IMG-002',
  'K8S-IMG-003',
  'K8S-RES-001',
  'K8S-RES-002',
  'K8S-RES-003',
  'K8S-PRB-001',
  'K8S-PRB-002',
  'K8S-PRB-003',
  'K8S-REL-001',
  'K8S-REL-002',
  'K8S-REL-003',
  'K8S-REL-004',
  'K8S-REL-005',
  'K8S-REL-006',
  'K8S-NET-001',
  'K8S-NET-002',
  'K8S-CFG-001',
  'K8S-CFG-002',
  'K8S-IAM-001',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** `error` fails synth unless the profile waives it; `warning` is reported only. */
export type Severity = 'error' | 'warning';

/** One place where an object breaks a rule. */
export interface Violation {
  /** `Kind/name`. */
  object: string;
  /** JSON pointer inside the object. */
  path: string;
  message: string;
}

/** A kube-score/Polaris-class check over the whole object set of a profile. */
export interface PolicyRule {
  id: RuleId;
  title: string;
  severity: Severity;
  /** One line telling the user how to fix a violation. */
  fix: string;
  check(objects: readonly KubeObject[]): Violation[];
}
