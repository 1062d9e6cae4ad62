#!/usr/bin/env node
// `nx run k8s-manifests:teardown`: flags → runTeardown → exit code (0/1, 3 `locked`; 2 and 3 come from runCli).
import { EXIT, runCli, workspaceRoot } from '@llmops-rag/platform';
import { parseTeardownArgs, TEARDOWN_HELP } from '../cli/teardown-args.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveTeardownDeps } from '../live-deps.js';
import { runTeardown } from '../teardown.js';

runCli('teardown', async (argv) => {
  const args = parseTeardownArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(TEARDOWN_HELP);
    return EXIT.ok;
  }
  return exitWithLockOutcome('teardown', runTeardown(args.options, liveTeardownDeps()));
});
