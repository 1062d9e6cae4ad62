import type { TfJson } from './tf-json.js';
import type { Finding, PolicyException, PolicyRule, RuleResult } from './types.js';
import { POLICY_RULES } from './rules.js';

export interface PolicyReport {
  readonly results: readonly RuleResult[];
  /** Exceptions that matched no finding: stale, worth deleting. */
  readonly unusedExceptions: readonly PolicyException[];
  readonly failed: boolean;
}

export function evaluatePolicy(tf: TfJson, exceptions: readonly PolicyException[] = [], rules: readonly PolicyRule[] = POLICY_RULES): PolicyReport {
  const used = new Set<PolicyException>();
  const results = rules.map((rule): RuleResult => {
    const applicable = rule.appliesTo.some((type) => Object.keys(tf.resource?.[type] ?? {}).length > 0);
    if (!applicable) return { rule, status: 'n/a', findings: [], excepted: [] };
    const findings: Finding[] = [];
    const excepted: (Finding & { reason: string })[] = [];
    for (const finding of rule.check(tf)) {
      const exception = exceptions.find((e) => e.ruleId === rule.id && (!e.resource || finding.resource.includes(e.resource)));
      if (exception && exception.reason.trim()) {
        used.add(exception);
        excepted.push({ ...finding, reason: exception.reason });
      } else findings.push(finding);
    }
    const status = findings.length > 0 ? 'fail' : excepted.length > 0 ? 'excepted' : 'pass';
    return { rule, status, findings, excepted };
  });
  return {
    results,
    unusedExceptions: exceptions.filter((e) => !used.has(e)),
    failed: results.some((r) => r.status === 'fail'),
  };
}
