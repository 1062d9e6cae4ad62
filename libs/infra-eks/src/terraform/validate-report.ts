import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { findTerraform } from './run.js';
import { mirrorOf, type TerraformStepResult } from './validate-step.js';

/**
 * tf-validate's report.json: the terraform step's result with the sha256 of
 * each stack's cdk.tf.json it validated. `validate` shows a report instead of
 * running terraform again only when it is about exactly the stacks validate
 * just synthesized, the same terraform binary and the same provider mirror.
 */
export interface TfValidateReport extends TerraformStepResult {
  readonly stacks: readonly { readonly name: string; readonly sha256: string; readonly init: boolean; readonly valid: boolean }[];
}

export interface StackFile {
  readonly name: string;
  /** The stack's cdk.tf.json. */
  readonly file: string;
}

export function stackDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function writeTfValidateReport(reportFile: string, step: TerraformStepResult, stacks: readonly StackFile[]): TfValidateReport {
  const digests = new Map(stacks.map((s) => [s.name, stackDigest(s.file)]));
  const report: TfValidateReport = { ...step, stacks: step.stacks.map((s) => ({ ...s, sha256: digests.get(s.name) ?? '' })) };
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The recorded result when it applies to these stacks and this terraform environment; undefined otherwise (run terraform). */
export function reusableTfValidateReport(reportFile: string, stacks: readonly StackFile[], env: NodeJS.ProcessEnv = process.env): TfValidateReport | undefined {
  let report: TfValidateReport;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as TfValidateReport;
  } catch {
    return undefined;
  }
  const bin = findTerraform(env);
  if (!report.terraform || !bin || report.terraform.bin !== bin || report.terraform.mirror !== mirrorOf(env)) return undefined;
  if (!Array.isArray(report.stacks) || !Array.isArray(report.lines) || !Array.isArray(report.failures)) return undefined;
  const recorded = report.stacks.map((s) => `${s.name}:${s.sha256}`).join(',');
  const current = stacks.map((s) => `${s.name}:${stackDigest(s.file)}`).join(',');
  return recorded === current ? report : undefined;
}
