import { formatIssue } from './issue.js';
import type { Finding } from './policy/evaluate.js';
import type { ValidationReport } from './validate-objects.js';

const finding = (f: Finding) => `${f.rule} ${f.object} ${f.path}: ${f.message} — fix: ${f.fix}`;

/** The human report of one profile: what was checked, what failed and how to fix it, what is waived and why. */
export function formatReport(report: ValidationReport, written?: { dir: string; files: string[] }): string {
  const { policy } = report;
  const lines: string[] = [];
  const status = report.ok ? 'OK' : 'FAILED';
  lines.push(
    `[${report.profile}] ${status}: ${report.objects} objects, schema ${report.schemaIssues.length === 0 ? 'valid' : `${report.schemaIssues.length} issue(s)`} (ajv strict + kubernetes-models), policy ${policy.rulesChecked} rules: ${policy.failures.length} failed, ${policy.warnings.length} warning(s), ${policy.waived.length} waived`,
  );
  if (written) lines.push(`  wrote ${written.dir}/ (${written.files.join(', ')})`);
  for (const issue of report.schemaIssues) lines.push(`  ERROR ${formatIssue(issue)}`);
  for (const f of policy.failures) lines.push(`  FAIL ${finding(f)}`);
  for (const f of policy.warnings) lines.push(`  WARN ${finding(f)}`);
  const waivedRules = [...new Map(policy.waived.map((w) => [w.rule, w])).values()];
  for (const w of waivedRules) lines.push(`  WAIVED ${w.rule} (${w.title}): ${w.reason}`);
  for (const w of policy.unusedWaivers) lines.push(`  STALE WAIVER ${w.rule}: nothing violates it any more; remove it from the profile`);
  return lines.join('\n');
}
