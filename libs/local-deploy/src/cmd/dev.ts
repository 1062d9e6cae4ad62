#!/usr/bin/env node
// `nx run k8s-manifests:dev`: flags → runDev until Ctrl-C/SIGTERM → exit code (0/1; 2 and 3 come from runCli).
import { EXIT, runCli, workspaceRoot } from '@llmops-rag/platform';
import { DEV_HELP, parseDevArgs } from '../cli/dev-args.js';
import { LEFT_BEHIND_BY_A_SECOND_SIGNAL } from '../cli/interrupt-text.js';
import { runDev } from '../dev/run-dev.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';

// Ctrl-C is how dev ends: the first one stops it (the stop summary, exit 0); a later one quits at once.
runCli(
  'dev',
  async (argv, context) => {
    const args = parseDevArgs(argv, workspaceRoot());
    if (args.help) {
      console.log(DEV_HELP);
      return EXIT.ok;
    }
    return exitWithLockOutcome('dev', runDev({ deploy: args.options.deploy, port: args.options.port, signal: context.signal }, liveDeployDeps()));
  },
  undefined,
  { interruptible: { leftBehind: `a deploy that was running may be left half-done; ${LEFT_BEHIND_BY_A_SECOND_SIGNAL}` } },
);
