#!/usr/bin/env node
// `nx run k8s-manifests:diff`: flags → runDiff → exit code (0 unchanged, 1 changes, 4 failed; 2 and 3 come from runCli).
import { EXIT, runCli, workspaceRoot } from '@llmops-rag/platform';
import { DIFF_HELP, parseDiffArgs } from '../cli/diff-args.js';
import { runDiff } from '../diff/run-diff.js';
import { liveDeployDeps } from '../live-deps.js';
import { stderrOutput } from '../diff/stderr-output.js';

runCli('diff', async (argv) => {
  const args = parseDiffArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(DIFF_HELP);
    return EXIT.ok;
  }
  const live = liveDeployDeps();
  const result = await runDiff(args.options, { ...live, out: stderrOutput, report: live.out });
  return { exitCode: result.exitCode, name: result.outcome, ...(result.reason ? { reason: result.reason } : {}) };
});
