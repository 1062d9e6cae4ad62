import { runTerraform } from './run.js';

/** One `run` block of a `terraform test` file. */
export interface TestRunResult {
  readonly file: string;
  readonly run: string;
  readonly status: 'pass' | 'fail' | 'error' | 'skip';
}

export interface TestDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** The resource the diagnostic is about (`aws_eks_node_group.x`), when terraform names one. */
  readonly address?: string;
  /** Where: `tests/plan.tftest.json:12` or `cdk.tf.json:272 (resource.aws_eks_node_group.x)`. */
  readonly where?: string;
  readonly file?: string;
  readonly run?: string;
}

export interface TerraformTestResult {
  readonly ok: boolean;
  readonly code: number;
  readonly ms: number;
  readonly runs: readonly TestRunResult[];
  readonly diagnostics: readonly TestDiagnostic[];
  readonly summary?: { status: string; passed: number; failed: number; errored: number; skipped: number };
  /** Output lines that were not terraform's JSON (should be none). */
  readonly other: string;
}

interface JsonLine {
  type?: string;
  '@testfile'?: string;
  '@testrun'?: string;
  test_run?: { path: string; run: string; progress: string; status?: TestRunResult['status'] };
  test_summary?: { status: string; passed: number; failed: number; errored: number; skipped: number };
  diagnostic?: {
    severity: 'error' | 'warning';
    summary: string;
    detail?: string;
    address?: string;
    range?: { filename: string; start: { line: number } };
    snippet?: { context?: string };
  };
}

/** Parses `terraform test -json` output (one JSON object a line). */
export function parseTestOutput(stdout: string): Omit<TerraformTestResult, 'ok' | 'code' | 'ms'> {
  const runs: TestRunResult[] = [];
  const diagnostics: TestDiagnostic[] = [];
  const other: string[] = [];
  let summary: TerraformTestResult['summary'];
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    let json: JsonLine;
    try {
      json = JSON.parse(line) as JsonLine;
    } catch {
      other.push(line);
      continue;
    }
    if (json.type === 'test_run' && json.test_run?.progress === 'complete') {
      runs.push({ file: json.test_run.path, run: json.test_run.run, status: json.test_run.status ?? 'error' });
    } else if (json.type === 'test_summary' && json.test_summary) {
      summary = json.test_summary;
    } else if (json.type === 'diagnostic' && json.diagnostic) {
      const d = json.diagnostic;
      const where = d.range ? `${d.range.filename}:${d.range.start.line}${d.snippet?.context ? ` (${d.snippet.context})` : ''}` : undefined;
      diagnostics.push({
        severity: d.severity,
        summary: d.summary,
        ...(d.detail ? { detail: d.detail } : {}),
        ...(d.address ? { address: d.address } : {}),
        ...(where ? { where } : {}),
        ...(json['@testfile'] ? { file: json['@testfile'] } : {}),
        ...(json['@testrun'] ? { run: json['@testrun'] } : {}),
      });
    }
  }
  return { runs, diagnostics, ...(summary ? { summary } : {}), other: other.join('\n') };
}

/**
 * `terraform test -json` in an initialized stack directory (test files in
 * `tests/`; `files` limits the run to some of them, e.g. `tests/plan.tftest.json`). Passes only when terraform exits 0, every run passed and no
 * error was reported.
 */
export async function terraformTest(bin: string, options: { cwd: string; env: NodeJS.ProcessEnv; files?: readonly string[] }): Promise<TerraformTestResult> {
  const filters = (options.files ?? []).map((f) => `-filter=${f}`);
  const result = await runTerraform(bin, ['test', '-json', '-no-color', ...filters], options);
  const parsed = parseTestOutput(result.stdout);
  const stderr = result.stderr.trim();
  const diagnostics = stderr ? [...parsed.diagnostics, { severity: 'error' as const, summary: stderr }] : parsed.diagnostics;
  const ok = result.code === 0 && parsed.runs.length > 0 && parsed.runs.every((r) => r.status === 'pass') && !diagnostics.some((d) => d.severity === 'error');
  return { ...parsed, diagnostics, ok, code: result.code, ms: result.ms };
}
