#!/usr/bin/env node
// `nx run k8s-manifests:teardown`: flags → runTeardown → exit code (0/1; 2 and 3 come from runCli).
import { EXIT, exitCodeOf, runCli, workspaceRoot } from '@llmops-rag/platform';
import { parseTeardownArgs, TEARDOWN_HELP } from '../cli/teardown-args.js';
import { liveTeardownDeps } from '../live-deps.js';
import { runTeardown } from '../teardown.js';

runCli('teardown', async (argv) => {
  const args = parseTeardownArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(TEARDOWN_HELP);
    return EXIT.ok;
  }
  return exitCodeOf(await runTeardown(args.options, liveTeardownDeps()));
});
