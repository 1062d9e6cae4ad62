#!/usr/bin/env node
// `nx run k8s-manifests:deploy-minikube|deploy-local`: flags → runDeploy → exit code (0/1, 3 `locked`, 130/143 interrupted; 2 and 3 come from runCli).
import { EXIT, interruptedExit, runCli, workspaceRoot } from '@llmops-rag/platform';
import { DEPLOY_HELP, parseDeployArgs } from '../cli/deploy-args.js';
import { LEFT_BEHIND_BY_A_SECOND_SIGNAL } from '../cli/interrupt-text.js';
import { runDeploy } from '../deploy.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';

runCli(
  'deploy',
  async (argv, context) => {
    const args = parseDeployArgs(argv, workspaceRoot());
    if (args.help) {
      console.log(DEPLOY_HELP);
      return EXIT.ok;
    }
    return interruptedExit(context, await exitWithLockOutcome('deploy', runDeploy({ ...args.options, signal: context.signal }, liveDeployDeps())));
  },
  undefined,
  { interruptible: { leftBehind: LEFT_BEHIND_BY_A_SECOND_SIGNAL } },
);
