#!/usr/bin/env node
// `nx run k8s-manifests:history`: flags → runHistory → exit code (0/1; 2 and 3 come from runCli).
import { EXIT, exitCodeOf, runCli, workspaceRoot } from '@llmops-rag/platform';
import { HISTORY_HELP, parseHistoryArgs } from '../cli/history-args.js';
import { liveTeardownDeps } from '../live-deps.js';
import { runHistory } from '../release/history.js';

runCli('history', async (argv) => {
  const args = parseHistoryArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(HISTORY_HELP);
    return EXIT.ok;
  }
  return exitCodeOf(await runHistory(args.options, liveTeardownDeps()));
});
