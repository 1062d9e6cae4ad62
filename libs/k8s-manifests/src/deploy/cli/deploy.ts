#!/usr/bin/env node
import { runDeploy, type DeployOptions } from '../deploy.js';
import { clientKubeApi, currentContext, loadKubeConfig } from '../kube-client.js';
import { processRunner } from '../runner.js';
import { consoleOutput } from '../types.js';
import { EXIT, parseFlags, parseTimeout, runCli, UsageError, workspaceRoot } from './args.js';

const HELP = `Deploy the rag-api to a local Kubernetes cluster and verify it (spec Parts 1, 3 and 5.1).

Usage:
  npx nx run k8s-manifests:deploy-minikube [-- flags]   minikube (started with --driver=docker if stopped)
  npx nx run k8s-manifests:deploy-local [-- flags]      the local cluster the current context points at:
                                                        minikube, kind, k3d, Docker Desktop or a k3s container

Flags:
  --profile=<name>         minikube profile, which is also its context name (default: minikube)
  --allow-context=<name>   deploy although the current context is not the expected local cluster;
                           must equal the current context's name exactly
  --timeout=<duration>     how long to wait for the rollout: 180, 180s or 3m (default: 180s)
  --skip-build             do not run \`nx run rag-api:docker\` and \`nx run k8s-manifests:synth\`;
                           use dist/images/llmops-rag-api.tar and dist/k8s/dev as they are
  -h, --help               this text

Secret values come from the environment or the git-ignored .env at the repo root (KEY=VALUE lines),
are held in memory only and never printed. Exit codes: 0 verified, 1 a step/check failed,
2 bad flags, 3 refused in preflight (nothing was changed).`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    cluster: { type: 'string', default: 'minikube' },
    profile: { type: 'string', default: 'minikube' },
    'allow-context': { type: 'string' },
    timeout: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
  });
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (values.cluster !== 'minikube' && values.cluster !== 'local') throw new UsageError(`--cluster=${values.cluster}: expected minikube or local`);
  const options: DeployOptions = {
    mode: values.cluster,
    profile: String(values.profile),
    ...(values['allow-context'] ? { allowContext: String(values['allow-context']) } : {}),
    timeoutMs: parseTimeout(values.timeout as string | undefined, 180),
    skipBuild: Boolean(values['skip-build']),
    workspaceRoot: workspaceRoot(),
  };
  const result = await runDeploy(options, {
    runner: processRunner(),
    out: consoleOutput,
    kubeContext: () => currentContext(loadKubeConfig()),
    kubeApi: () => clientKubeApi(loadKubeConfig()),
    env: process.env,
  });
  return result.ok ? EXIT.ok : EXIT.failed;
}

runCli('deploy', () => main(process.argv.slice(2)));
