#!/usr/bin/env node
// `nx run k8s-manifests:rollback`: flags → runRollback → exit code (0/1, 3 `locked`; 2 and 3 come from runCli).
import { EXIT, runCli, workspaceRoot } from '@llmops-rag/platform';
import { parseRollbackArgs, ROLLBACK_HELP } from '../cli/rollback-args.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';
import { runRollback } from '../release/rollback.js';

runCli('rollback', async (argv) => {
  const args = parseRollbackArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(ROLLBACK_HELP);
    return EXIT.ok;
  }
  return exitWithLockOutcome('rollback', runRollback(args.options, liveDeployDeps()));
});
