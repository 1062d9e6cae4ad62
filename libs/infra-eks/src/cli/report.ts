import { PRICE_TABLE } from '../cost/prices.js';
import { usd, type CostEstimate } from '../cost/estimate.js';
import type { PolicyReport } from '../policy/evaluate.js';

export function formatPolicy(stack: string, report: PolicyReport): string[] {
  const lines = [`policy ${stack}`];
  for (const r of report.results) {
    const tag = { pass: 'pass', fail: 'FAIL', excepted: 'EXCEPTION', 'n/a': 'n/a' }[r.status];
    const ids = [r.rule.id, ...r.rule.aliases.filter((a) => /^[A-Z]/.test(a) && !a.includes(' '))].join(' / ');
    lines.push(`  ${tag.padEnd(9)} ${ids.padEnd(40)} ${r.rule.title}`);
    for (const f of r.findings) lines.push(`            ${f.resource}: ${f.message}`, `            fix: ${r.rule.fix}`);
    const reasons = [...new Set(r.excepted.map((e) => e.reason))];
    for (const reason of reasons) lines.push(`            reason: ${reason}`);
  }
  for (const e of report.unusedExceptions) lines.push(`  note      exception for ${e.ruleId} matched nothing: delete it`);
  return lines;
}

export function formatCost(stack: string, estimate: CostEstimate): string[] {
  const lines = [`cost ${stack} (monthly, ${PRICE_TABLE.region} on-demand, prices ${PRICE_TABLE.recorded})`];
  for (const l of estimate.lines) lines.push(`  ${usd(l.monthlyUsd).padStart(9)}  ${l.item.padEnd(30)} ${l.quantity}`);
  lines.push(`  ${usd(estimate.monthlyUsd).padStart(9)}  total (≈ ${usd((estimate.monthlyUsd * 12) / 365)} a day)`);
  for (const u of estimate.unpriced) lines.push(`  note: not priced: ${u}`);
  return lines;
}
