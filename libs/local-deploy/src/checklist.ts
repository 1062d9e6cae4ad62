/** One line of the final checklist: what was checked, whether it held, how long it took. */
export interface CheckResult {
  name: string;
  ok: boolean;
  durationMs: number;
  /** Short evidence on success (`1/1 Ready`) or the problem on failure. */
  detail?: string;
  /** A step that was not run (e.g. `--skip-build`); shown with `-`, never counted as failed. */
  skipped?: boolean;
  /** A step that held but needs a look (e.g. memory near its limit); shown with `⚠`, never counted as failed. */
  warning?: boolean;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)
    .toString()
    .padStart(2, '0')}s`;
}

/**
 * The checklist the deploy ends with, one step per line:
 * `✓ Pods Running and Ready ........ 0.4s  1/1 Ready`.
 */
export function formatChecklist(results: readonly CheckResult[], title = 'Deploy checklist'): string {
  const width = Math.max(...results.map((r) => r.name.length), 10) + 2;
  const lines = results.map((r) => {
    const mark = r.skipped ? '-' : !r.ok ? '✗' : r.warning ? '⚠' : '✓';
    const name = `${r.name} `.padEnd(width, '.');
    const time = r.skipped ? 'skipped' : formatDuration(r.durationMs);
    return `  ${mark} ${name} ${time.padStart(7)}${r.detail ? `  ${r.detail}` : ''}`;
  });
  const failed = results.filter((r) => !r.ok && !r.skipped).length;
  const total = results.reduce((sum, r) => sum + r.durationMs, 0);
  const warned = results.filter((r) => r.ok && r.warning && !r.skipped).length;
  const summary = failed === 0 ? `all ${results.filter((r) => !r.skipped).length} checks passed` : `${failed} of ${results.length} failed`;
  const warnings = warned === 0 ? '' : `, ${warned} with a warning (⚠)`;
  return [`${title}:`, ...lines, `  ${summary}${warnings} in ${formatDuration(total)}`].join('\n');
}

/** Collects check results while the deploy runs, timing each step. */
export class Checklist {
  readonly results: CheckResult[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Runs `step`; its return value is the detail (a ⚠ when it says `warning`). A thrown error becomes a ✗ with
   * the error's message.
   */
  async step<T>(name: string, step: () => Promise<{ detail?: string; value: T; warning?: boolean }>): Promise<T> {
    const started = this.now();
    try {
      const { detail, value, warning } = await step();
      this.results.push({ name, ok: true, durationMs: this.now() - started, ...(detail ? { detail } : {}), ...(warning ? { warning: true } : {}) });
      return value;
    } catch (error) {
      this.results.push({ name, ok: false, durationMs: this.now() - started, detail: firstLine(error) });
      throw error;
    }
  }

  record(result: CheckResult): void {
    this.results.push(result);
  }

  skip(name: string, detail: string): void {
    this.results.push({ name, ok: true, skipped: true, durationMs: 0, detail });
  }

  get failed(): boolean {
    return this.results.some((r) => !r.ok && !r.skipped);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
