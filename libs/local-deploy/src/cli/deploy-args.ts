import { resolve } from 'node:path';
import { IMAGE_ARCHIVE } from '@llmops-rag/contract';
import { parseFlags, parseTimeout, UsageError } from '@llmops-rag/platform';
import type { DeployOptions } from '../deploy.js';
import { METRICS_SERVER_MANIFEST } from '../verify/metrics-fix.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';

export const DEPLOY_HELP = `Deploy the rag-api to a local Kubernetes cluster and verify it (spec Parts 1, 3 and 5.1).

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
                           use ${IMAGE_ARCHIVE} and dist/k8s/dev as they are
  --dotenv=<path>          read secret values from this file instead of .env at the repo root
  --load-command=<cmd>     shell command that loads the image archive into the cluster, run from the
                           repo root with IMAGE_ARCHIVE (its path) and IMAGE set, instead of the
                           deploy's own loader; for a cluster deploy-local does not recognise (without
                           it, the deploy prints the exact command for the nodes' container runtime)
  --no-atomic              when the rollout fails, leave the cluster as the failed deploy made it (for
                           debugging); by default the deploy is atomic: it restores the previous release
                           (or undoes a first deploy), waits until that is Ready and prints
                           "rolled back to revision N" with the failed rollout's diagnostics
  --no-wait                when another deploy, rollback, teardown or dev holds the namespace's lock,
                           refuse at once (exit 3, outcome "locked") instead of waiting up to --timeout
  --enable-metrics         deploy-minikube only: enable minikube's metrics-server addon first, so the
                           checklist shows the pod's CPU and memory (spec 3.3 step 4) instead of skipping it
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty. The targets already pass --cluster.

One operation at a time per namespace: deploy, rollback, teardown and dev hold a lock (a Lease in the
namespace, renewed every 10s, free 30s after its holder dies). Another one waits for it, printing who
holds it, up to --timeout; a lock left by a killed process is taken over, and the release it left
pending is reported as interrupted and replaced by this one (libs/local-deploy/docs/lock.md).

Every deploy whose rollout completes is recorded as a release in the namespace (revision, time, git
commit, image ID, digest; never a secret value); a failed one as "failed". The last 10 are kept:
npx nx run k8s-manifests:history lists them, npx nx run k8s-manifests:rollback returns to one.

Secret values come from the environment or the git-ignored .env at the repo root (KEY=VALUE lines,
read as node --env-file reads them), are held in memory only and never printed. The file is checked
before anything is built: it must be a readable UTF-8 regular file; each line that can't be used is
reported with its line number (never its value).

Exit codes: 0 verified, 1 a step/check failed, 2 bad flags, 3 refused in preflight or locked by another
operation (nothing was changed), 130/143 stopped by Ctrl-C/SIGTERM (the previous release put back and the
attempt recorded; a second Ctrl-C quits at once). Nx reports every failure as exit 1, so the last line on
stderr names the outcome:
  deploy-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3 | locked exit=3 | interrupted exit=130`;

export const DEPLOY_FLAGS = {
  cluster: { type: 'string', default: 'minikube' },
  profile: { type: 'string', default: 'minikube' },
  'allow-context': { type: 'string' },
  timeout: { type: 'string' },
  'skip-build': { type: 'boolean', default: false },
  dotenv: { type: 'string' },
  'load-command': { type: 'string' },
  // util.parseArgs' allowNegative is not used by parseFlags: the negative is a flag of its own.
  'no-atomic': { type: 'boolean', default: false },
  'no-wait': { type: 'boolean', default: false },
  'enable-metrics': { type: 'boolean', default: false },
} as const;

/** The deploy command's flags as DeployOptions (`help` when -h/--help was given); a bad flag throws a UsageError (exit 2). */
export function parseDeployArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: DeployOptions } {
  const { values } = parseFlags(argv, DEPLOY_FLAGS, {
    cluster: {
      repeated: (given) =>
        `the Nx targets pass it already (deploy-minikube: --cluster=minikube, deploy-local: --cluster=local), so run the target you mean${
          given.at(-1) === 'local' || given.at(-1) === 'minikube' ? ` (npx nx run k8s-manifests:deploy-${given.at(-1)})` : ''
        } instead of adding --cluster`,
    },
    'allow-context': { empty: ALLOW_CONTEXT_FIX },
  });
  if (values.help) return { help: true };
  if (values.cluster !== 'minikube' && values.cluster !== 'local') throw new UsageError(`--cluster=${values.cluster}: expected minikube or local`);
  if (values['enable-metrics'] && values.cluster !== 'minikube') {
    throw new UsageError(
      `--enable-metrics enables minikube's addon, so only deploy-minikube takes it; on another cluster install metrics-server: kubectl apply -f ${METRICS_SERVER_MANIFEST}`,
    );
  }
  const options: DeployOptions = {
    mode: values.cluster,
    profile: String(values.profile),
    ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}),
    timeoutMs: parseTimeout(values.timeout as string | undefined, 180),
    skipBuild: Boolean(values['skip-build']),
    workspaceRoot: root,
    ...(values.dotenv !== undefined ? { envFile: resolve(values.dotenv) } : {}),
    ...(values['load-command'] !== undefined ? { loadCommand: values['load-command'] } : {}),
    atomic: !values['no-atomic'],
    wait: !values['no-wait'],
    ...(values['enable-metrics'] ? { enableMetrics: true } : {}),
  };
  return { help: false, options };
}
