import { detectCluster, type ClusterFacts, type ContextInfo, type LocalCluster } from './cluster-kinds.js';
import { PreflightError } from './preflight-error.js';

/** `deploy-minikube` wants one minikube profile; `deploy-local` any recognised local cluster. */
export type Expectation = { mode: 'minikube'; profile: string } | { mode: 'local' };

export interface GuardResult {
  /** The recognised local cluster, or undefined for an unknown context explicitly allowed. */
  cluster?: LocalCluster;
  /** Said when the explicit flag let an otherwise refused context through. */
  warning?: string;
}

/**
 * The safety catch: a deploy meant for a laptop never lands on a shared
 * cluster. Anything but the expected local context is refused unless
 * `--allow-context=<exactly that context's name>` was passed.
 */
export function guardContext(
  ctx: ContextInfo | undefined,
  expectation: Expectation,
  facts: ClusterFacts,
  allowContext?: string,
  /** What is refused, for the message: `deploy to`, `tear down`, `diff against`, `roll back` or `read the releases of`. */
  verb: 'deploy to' | 'tear down' | 'diff against' | 'roll back' | 'read the releases of' = 'deploy to',
): GuardResult {
  const proceeding = {
    'deploy to': 'deploying to',
    'tear down': 'tearing down',
    'diff against': 'diffing against',
    'roll back': 'rolling back',
    'read the releases of': 'reading the releases of',
  }[verb];
  if (!ctx || !ctx.name) {
    throw new PreflightError([
      {
        thing: 'kube context',
        problem: 'none is selected (no kubeconfig at $KUBECONFIG or ~/.kube/config, or its current-context is empty)',
        fix:
          expectation.mode === 'minikube'
            ? '`minikube start --driver=docker` sets it, or `kubectl config use-context minikube`'
            : '`kubectl config use-context <your local cluster>`',
      },
    ]);
  }
  const detected = detectCluster(ctx, facts);
  const cluster = 'kind' in detected ? detected : undefined;
  const allowed = allowContext !== undefined && allowContext === ctx.name;

  if (expectation.mode === 'minikube') {
    if (cluster?.kind === 'minikube' && ctx.name === expectation.profile) return { cluster };
    if (allowed)
      return {
        ...(cluster ? { cluster } : {}),
        warning: `${proceeding} context "${ctx.name}" (not minikube profile "${expectation.profile}") because --allow-context=${ctx.name}`,
      };
    const why =
      cluster?.kind === 'minikube' ? `it is minikube profile "${ctx.name}", not "${expectation.profile}"` : 'deploy-minikube only deploys to minikube';
    throw refusal(ctx, verb, why, [
      `\`kubectl config use-context ${expectation.profile}\``,
      ...(cluster ? ['or use `nx run k8s-manifests:deploy-local` for this cluster'] : []),
    ]);
  }

  if (cluster) return { cluster };
  const reason = 'unknown' in detected ? detected.unknown : 'not recognised';
  if (allowed) return { warning: `${reason}; ${proceeding} context "${ctx.name}" anyway because --allow-context=${ctx.name}` };
  throw refusal(ctx, verb, reason, ['`kubectl config use-context <a local cluster>` (minikube, kind-*, k3d-*, docker-desktop, or a k3s container)']);
}

function refusal(ctx: ContextInfo, verb: string, why: string, fixes: string[]): PreflightError {
  return new PreflightError([
    {
      thing: 'kube context',
      problem: `refusing to ${verb} "${ctx.name}" (server ${ctx.server}): ${why}`,
      fix: `${fixes.join(', ')}; or, if you really mean this cluster, pass --allow-context=${ctx.name}`,
    },
  ]);
}
