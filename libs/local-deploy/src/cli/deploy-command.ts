import { EXIT, interruptedExit, runCli } from '@llmops-rag/platform';
import { runDeploy } from '../deploy.js';
import { exitWithLockOutcome } from '../lock/errors.js';
import { liveDeployDeps } from '../live-deps.js';
import { DEPLOY_HELP, parseDeployArgs } from './deploy-args.js';
import { LEFT_BEHIND_BY_A_SECOND_SIGNAL } from './interrupt-text.js';

/**
 * The deploy command on the workspace at `root`: flags → runDeploy → exit code (0/1, 3 `locked`, 130/143 interrupted;
 * 2 and 3 come from runCli).
 */
export function deployCommand(root: string): void {
  runCli(
    'deploy',
    async (argv, context) => {
      const args = parseDeployArgs(argv, root);
      if (args.help) {
        console.log(DEPLOY_HELP);
        return EXIT.ok;
      }
      return interruptedExit(context, await exitWithLockOutcome('deploy', runDeploy({ ...args.options, signal: context.signal }, liveDeployDeps())));
    },
    undefined,
    { interruptible: { leftBehind: LEFT_BEHIND_BY_A_SECOND_SIGNAL } },
  );
}
