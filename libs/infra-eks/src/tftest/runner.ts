import { initStacks, seconds, type InitResult, type StackDir, type ValidateOptions } from '../terraform/run.js';
import { terraformTest, type TerraformTestResult, type TestDiagnostic } from '../terraform/test.js';

export interface StackTestReport {
  readonly name: string;
  readonly dir: string;
  readonly init: InitResult;
  /** Undefined when init failed. */
  readonly test: TerraformTestResult | undefined;
}

/**
 * `terraform init -backend=false` (shared by stacks with the same providers),
 * then `terraform test` on every stack in parallel. The tests use
 * `mock_provider "aws"`: nothing reaches AWS, no credentials are read.
 */
export interface StackTestOptions extends ValidateOptions {
  /** Only these test files (paths relative to the stack, e.g. `tests/plan.tftest.json`); default all. */
  readonly files?: readonly string[];
}

export async function runStackTests(stacks: readonly StackDir[], options: StackTestOptions): Promise<StackTestReport[]> {
  const progress = options.onProgress ?? (() => {});
  const groups = await initStacks(stacks, options);
  const reports = await Promise.all(
    groups.flatMap(({ stacks: group, env, init }) =>
      group.map(async (stack): Promise<StackTestReport> => {
        if (!init.ok) return { ...stack, init, test: undefined };
        const test = await terraformTest(options.bin, { cwd: stack.dir, env, ...(options.files ? { files: options.files } : {}) });
        progress(
          `tf-test   ${stack.name.padEnd(10)} ${test.ok ? 'ok  ' : 'FAIL'} ${seconds(test.ms)} (${test.runs.map((r) => `${r.run} ${r.status}`).join(', ') || 'no runs'})`,
        );
        return { ...stack, init, test };
      }),
    ),
  );
  const byName = new Map(reports.map((r) => [r.name, r]));
  return stacks.map((s) => byName.get(s.name) as StackTestReport);
}

const REGISTRY_UNREACHABLE = /Failed to query available provider packages|could not connect to registry|no such host|dial tcp|i\/o timeout/i;
const NOT_IN_MIRROR = /provider registry\.terraform\.io\/hashicorp\/aws: no available releases match|Failed to query available provider packages/i;

/** One plain sentence for a failed init: usually the provider is not available offline. */
export function explainInitFailure(output: string, mirror: string | undefined): string {
  if (mirror && NOT_IN_MIRROR.test(output)) {
    return `the AWS provider the stacks require is not in the mirror ${mirror} (LLMOPS_TF_PLUGIN_MIRROR): add registry.terraform.io/hashicorp/aws/<version>/<os_arch> there, or unset it to download from the registry`;
  }
  if (!mirror && REGISTRY_UNREACHABLE.test(output)) {
    return 'the AWS provider is not available offline: terraform could not download hashicorp/aws from the registry; set LLMOPS_TF_PLUGIN_MIRROR to a provider mirror (CI: /opt/tf-plugins)';
  }
  return 'terraform init failed (output below)';
}

/** The lines that say why a stack's tests failed, each naming the resource when terraform does. */
export function describeFailures(report: StackTestReport): string[] {
  const lines: string[] = [];
  const diagnostics: readonly TestDiagnostic[] = report.test?.diagnostics ?? [];
  const seen = new Set<string>();
  for (const d of diagnostics.filter((x) => x.severity === 'error')) {
    const where = [d.file && d.run ? `${d.file}/${d.run}` : d.file, d.address, d.where].filter(Boolean).join(' · ');
    const text = [
      `${d.summary}${where ? `  [${where}]` : ''}`,
      ...(d.detail
        ? d.detail
            .trim()
            .split('\n')
            .map((l) => `  ${l}`)
        : []),
    ];
    // terraform repeats a diagnostic for each walk that meets it (plan, apply): print it once.
    if (seen.has(text.join('\n'))) continue;
    seen.add(text.join('\n'));
    lines.push(...text);
  }
  for (const r of report.test?.runs ?? []) {
    if (r.status !== 'pass' && !diagnostics.some((d) => d.run === r.run)) lines.push(`${r.file}/${r.run}: ${r.status}`);
  }
  if (report.test && report.test.runs.length === 0 && lines.length === 0) lines.push(`terraform test ran no run blocks (exit ${report.test.code})`);
  return lines;
}
