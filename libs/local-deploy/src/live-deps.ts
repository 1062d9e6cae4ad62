import { processRunner } from '@llmops-rag/platform';
import type { DeployDeps } from './deploy.js';
import { clientKubeApi, currentContext, loadKubeConfig } from './kube-client.js';
import { withDeadlines } from './kube-deadline.js';
import type { TeardownDeps } from './teardown.js';
import { consoleOutput } from './types.js';

/**
 * The real edges the commands run against: programs on PATH, stdout, and the cluster of the current kubeconfig
 * context, where no API call waits longer than CALL_TIMEOUT_MS for an answer.
 */
export function liveTeardownDeps(): TeardownDeps {
  return {
    runner: processRunner(),
    out: consoleOutput,
    kubeContext: () => currentContext(loadKubeConfig()),
    kubeApi: () => withDeadlines(clientKubeApi(loadKubeConfig())),
  };
}

/** As liveTeardownDeps, plus the process environment (secret values). */
export function liveDeployDeps(): DeployDeps {
  return { ...liveTeardownDeps(), env: process.env };
}
