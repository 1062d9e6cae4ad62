import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { K3sContainer, type StartedK3sContainer } from '@testcontainers/k3s';
import { processRunner, type Runner } from '@llmops-rag/platform';
import { parse, stringify } from 'yaml';
import type { DeployDeps, DeployOptions } from '../../src/deploy.js';
import { clientKubeApi, currentContext } from '../../src/kube-client.js';
import type { Output } from '../../src/types.js';
import { K3S_IMAGE, k3sUnavailableReason } from './k3s-availability.js';

/**
 * Where the end-to-end suites run. Given LLMOPS_E2E_KUBECONFIG (and LLMOPS_E2E_CONTEXT, default its current context),
 * on that cluster: minikube, kind, k3d, Docker Desktop, a k3s or kubeadm VM; LLMOPS_E2E_LOAD_COMMAND is the deploy's
 * --load-command for a cluster it does not recognise (the context is then allowed by --allow-context). Otherwise on
 * k3s in a privileged container (testcontainers), when Docker and the rancher/k3s image are there. The kubeconfig is
 * copied: the deploy sets its context's default namespace and the teardown restores it, in the copy only. The suites
 * deploy to namespace `dev` and delete it: give them a cluster you can spare.
 */
export type E2ePlan =
  { source: 'kubeconfig'; kubeconfig: string; context?: string; loadCommand?: string } | { source: 'k3s' } | { source: 'none'; reason: string };

export const E2E_ENV = { kubeconfig: 'LLMOPS_E2E_KUBECONFIG', context: 'LLMOPS_E2E_CONTEXT', loadCommand: 'LLMOPS_E2E_LOAD_COMMAND' } as const;

/** Decided once, when a suite is loaded: a given kubeconfig wins; else k3s if it can start; else why neither. */
export async function e2ePlan(env: NodeJS.ProcessEnv = process.env): Promise<E2ePlan> {
  const kubeconfig = env[E2E_ENV.kubeconfig];
  if (kubeconfig) {
    return {
      source: 'kubeconfig',
      kubeconfig,
      ...(env[E2E_ENV.context] ? { context: env[E2E_ENV.context] } : {}),
      ...(env[E2E_ENV.loadCommand] ? { loadCommand: env[E2E_ENV.loadCommand] } : {}),
    };
  }
  const reason = await k3sUnavailableReason();
  return reason ? { source: 'none', reason: `${reason}; or give a cluster: ${E2E_ENV.kubeconfig}=<path> [${E2E_ENV.context}=<name>]` } : { source: 'k3s' };
}

/** The plan's name in a describe title. */
export function planTitle(plan: E2ePlan): string {
  if (plan.source === 'k3s') return `k3s in a container (${K3S_IMAGE})`;
  if (plan.source === 'kubeconfig') return `the cluster of ${plan.context ? `context ${plan.context}` : 'the current context'} in ${plan.kubeconfig}`;
  return 'no cluster';
}

export interface E2eCluster {
  /** The suite's own copy of the kubeconfig, its current context the cluster under test. */
  kubeconfigPath: string;
  context: string;
  /** The k3s container, when the suite started one (k3s-only cases use it). */
  k3s?: StartedK3sContainer;
  /** What a deploy needs on this cluster besides its defaults: --allow-context and --load-command for one it does not recognise. */
  deployFlags: Pick<DeployOptions, 'allowContext' | 'loadCommand'>;
  /** The same as command-line flags, for a deploy run as a child process. */
  deployArgs: string[];
  /** Deploy deps on this cluster, printing and keeping every line in `lines`. */
  deps(lines?: string[], wrap?: (runner: Runner) => Runner): DeployDeps;
  /** Environment for a child process of the commands: this kubeconfig. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startE2eCluster(plan: E2ePlan): Promise<E2eCluster> {
  if (plan.source === 'none') throw new Error(`no cluster for the end-to-end suite: ${plan.reason}`);
  const dir = mkdtempSync(join(tmpdir(), 'llmops-e2e-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  let k3s: StartedK3sContainer | undefined;
  if (plan.source === 'k3s') {
    k3s = await new K3sContainer(K3S_IMAGE).start();
    writeFileSync(kubeconfigPath, k3s.getKubeConfig(), { mode: 0o600 });
  } else {
    copyFileSync(plan.kubeconfig, kubeconfigPath);
    if (plan.context) useContext(kubeconfigPath, plan.context);
  }
  const context = (parse(readFileSync(kubeconfigPath, 'utf8')) as { 'current-context': string })['current-context'];
  const given = plan.source === 'kubeconfig' ? plan : undefined;
  // k3s and the recognised local clusters need no flag; a given cluster's load command means the deploy cannot load it itself.
  const deployFlags = given?.loadCommand ? { allowContext: context, loadCommand: given.loadCommand } : {};
  const load = () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc;
  };
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: kubeconfigPath, ...extra });
  return {
    kubeconfigPath,
    context,
    ...(k3s ? { k3s } : {}),
    deployFlags,
    deployArgs: [
      ...(deployFlags.allowContext ? [`--allow-context=${deployFlags.allowContext}`] : []),
      ...(deployFlags.loadCommand ? [`--load-command=${deployFlags.loadCommand}`] : []),
    ],
    deps: (lines = [], wrap = (r) => r) => {
      const out: Output = {
        line: (text) => {
          lines.push(text);
          console.log(text);
        },
      };
      return { runner: wrap(processRunner(env())), out, env: env(), kubeContext: () => currentContext(load()), kubeApi: () => clientKubeApi(load()) };
    },
    env,
    stop: async () => {
      await k3s?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets the copy's current context, refusing a name the file does not have (a typo must not test another cluster). */
function useContext(path: string, context: string): void {
  const config = parse(readFileSync(path, 'utf8')) as { contexts?: { name: string }[]; 'current-context'?: string };
  const names = (config.contexts ?? []).map((c) => c.name);
  if (!names.includes(context)) throw new Error(`${E2E_ENV.context}=${context}: the kubeconfig has no such context (it has ${names.join(', ') || 'none'})`);
  config['current-context'] = context;
  writeFileSync(path, stringify(config), { mode: 0o600 });
}
