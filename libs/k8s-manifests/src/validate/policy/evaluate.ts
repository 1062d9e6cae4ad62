import type { Waiver } from '../../profiles/profile.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { PolicyRule, RuleId, Severity, Violation } from './rule.js';
import { POLICY_RULES } from './rules/index.js';

export interface Finding extends Violation {
  rule: RuleId;
  title: string;
  severity: Severity;
  fix: string;
}

export interface WaivedFinding extends Finding {
  reason: string;
}

export interface PolicyResult {
  /** Unwaived errors: synth fails. */
  failures: Finding[];
  /** Reported, never fatal. */
  warnings: Finding[];
  /** Violations the profile waives, with the written reason. */
  waived: WaivedFinding[];
  /** Waivers that matched nothing (stale; reported so they get removed). */
  unusedWaivers: Waiver[];
  rulesChecked: number;
}

export function evaluatePolicy(objects: readonly KubeObject[], waivers: readonly Waiver[] = [], rules: readonly PolicyRule[] = POLICY_RULES): PolicyResult {
  const result: PolicyResult = { failures: [], warnings: [], waived: [], unusedWaivers: [], rulesChecked: rules.length };
  const used = new Set<RuleId>();
  for (const rule of rules) {
    const waiver = waivers.find((w) => w.rule === rule.id);
    for (const violation of rule.check(objects)) {
      const finding: Finding = { rule: rule.id, title: rule.title, severity: rule.severity, fix: rule.fix, ...violation };
      if (waiver) {
        used.add(rule.id);
        result.waived.push({ ...finding, reason: waiver.reason });
      } else if (rule.severity === 'warning') {
        result.warnings.push(finding);
      } else {
        result.failures.push(finding);
      }
    }
  }
  result.unusedWaivers = waivers.filter((w) => !used.has(w.rule));
  return result;
}
