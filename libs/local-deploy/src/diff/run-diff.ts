import { FIELD_MANAGER } from '../apply.js';
import { PreflightError } from '../preflight-error.js';
import { compareWithCluster } from './compare.js';
import { desiredObjects } from './desired.js';
import { DIFF_EXIT, type DiffDeps, type DiffOptions, type DiffResult } from './diff-options.js';
import { failureMessage } from './failure.js';
import { diffPreflight } from './preflight.js';
import { summaryLine } from './summary.js';

/**
 * `nx run k8s-manifests:diff`: what `deploy --skip-build` would change on the current (local) context, as
 * masked unified diffs and a summary, without changing anything: every apply is a server-side dry run.
 * Refuses (PreflightError, exit 3) before any API call; exit 0 no differences, 1 differences, 4 the API
 * server (or the synth output) did not let the comparison be made, with its message.
 */
export async function runDiff(options: DiffOptions, deps: DiffDeps): Promise<DiffResult> {
  const { out, report } = deps;
  out.line('▶ Preflight');
  const inputs = await diffPreflight(options, deps);
  try {
    const api = deps.kubeApi();
    const desired = await desiredObjects(options, deps, inputs, api);
    out.line(
      `\n▶ Diff against context ${inputs.context.name}, namespace ${desired.namespace} (server-side dry-run apply as ${FIELD_MANAGER}; Secret values masked)`,
    );
    const objects = await compareWithCluster(api, desired, out);
    for (const diff of objects) if (diff.patch) report.line(diff.patch.trimEnd());
    const changed = objects.some((d) => d.action !== 'unchanged');
    if (!changed) report.line('No changes: the cluster matches what a deploy would apply.');
    report.line(summaryLine(objects));
    return changed ? { exitCode: DIFF_EXIT.changes, outcome: 'changes', objects } : { exitCode: DIFF_EXIT.unchanged, outcome: 'unchanged', objects };
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    const message = failureMessage(error);
    out.line(`\n✗ ${message}`);
    return { exitCode: DIFF_EXIT.failed, outcome: 'failed', objects: [], reason: message.split('\n')[0] ?? message };
  }
}
