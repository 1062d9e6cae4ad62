#!/usr/bin/env node
// `nx run k8s-manifests:dev`: flags → runDev until Ctrl-C/SIGTERM → exit code (0/1; 2 and 3 come from runCli).
import { EXIT, runCli, workspaceRoot } from '@llmops-rag/platform';
import { DEV_HELP, parseDevArgs } from '../cli/dev-args.js';
import { runDev } from '../dev/run-dev.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';

runCli('dev', async (argv) => {
  const args = parseDevArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(DEV_HELP);
    return EXIT.ok;
  }
  const controller = new AbortController();
  let firstSignalAt = 0;
  const stop = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      firstSignalAt = Date.now();
      return controller.abort();
    }
    // tsx relays the signal to this process and `nx run` signals the whole tree: copies of the first one arrive at once.
    if (Date.now() - firstSignalAt < 2000) return;
    console.error(`\n${signal} again: quitting now; a deploy that was running may be left half-done (run deploy-minikube to settle it)`);
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return exitWithLockOutcome('dev', runDev({ deploy: args.options.deploy, port: args.options.port, signal: controller.signal }, liveDeployDeps()));
});
