#!/usr/bin/env node
// `nx run k8s-manifests:rollback`: flags → runRollback → exit code (0/1, 3 `locked`, 130/143 interrupted; 2 and 3 come from runCli).
import { EXIT, interruptedExit, runCli, workspaceRoot } from '@llmops-rag/platform';
import { LEFT_BEHIND_BY_A_SECOND_SIGNAL } from '../cli/interrupt-text.js';
import { parseRollbackArgs, ROLLBACK_HELP } from '../cli/rollback-args.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';
import { runRollback } from '../release/rollback.js';

runCli(
  'rollback',
  async (argv, context) => {
    const args = parseRollbackArgs(argv, workspaceRoot());
    if (args.help) {
      console.log(ROLLBACK_HELP);
      return EXIT.ok;
    }
    return interruptedExit(context, await exitWithLockOutcome('rollback', runRollback({ ...args.options, signal: context.signal }, liveDeployDeps())));
  },
  undefined,
  { interruptible: { leftBehind: LEFT_BEHIND_BY_A_SECOND_SIGNAL } },
);
