import { dockerEngine, type Runner } from '@llmops-rag/platform';
import type { Output } from './types.js';
import { PreflightError, type Problem } from './preflight-error.js';

export type Tool = 'docker' | 'kubectl' | 'minikube' | 'kind' | 'k3d';

export const INSTALL_HINTS: Record<Tool, string> = {
  docker: 'install Docker: https://docs.docker.com/get-docker/',
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/',
  minikube: 'install minikube: https://minikube.sigs.k8s.io/docs/start/',
  kind: 'install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
  k3d: 'install k3d: https://k3d.io/#installation',
};

/** Every missing tool at once (not one per run), without spawning anything. */
export function missingTools(runner: Runner, tools: readonly Tool[]): Problem[] {
  return tools.filter((tool) => !runner.which(tool)).map((tool) => ({ thing: tool, problem: 'not found on PATH', fix: INSTALL_HINTS[tool] }));
}

export function requireTools(runner: Runner, tools: readonly Tool[]): void {
  const problems = missingTools(runner, tools);
  if (problems.length > 0) throw new PreflightError(problems);
}

/** The Docker engine answers (the image build and the docker-based loaders need it): its version, else a refusal with the fix. */
export async function checkDockerEngine(runner: Runner): Promise<string> {
  const engine = await dockerEngine(runner);
  if (engine.ok) return engine.version;
  throw new PreflightError([
    {
      thing: 'Docker engine',
      problem: `not reachable (${engine.cause})`,
      fix: 'start Docker Desktop, or `sudo systemctl start docker` on Linux; check `docker info` answers, then re-run',
    },
  ]);
}

export interface MinikubeStatus {
  host: string;
  kubelet: string;
  apiServer: string;
  kubeconfig: string;
}

/** `minikube status -o json` (exit code is non-zero when stopped, the JSON is still printed). */
export function parseMinikubeStatus(stdout: string): MinikubeStatus | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    const raw = JSON.parse(stdout.slice(start, stdout.lastIndexOf('}') + 1)) as Record<string, string>;
    return { host: raw.Host ?? '', kubelet: raw.Kubelet ?? '', apiServer: raw.APIServer ?? '', kubeconfig: raw.Kubeconfig ?? '' };
  } catch {
    return undefined;
  }
}

export function minikubeRunning(status: MinikubeStatus | undefined): boolean {
  return status?.host === 'Running' && status.apiServer === 'Running' && status.kubelet === 'Running';
}

/**
 * Spec 1.1: minikube running with the docker driver. Started (with visible
 * progress) when stopped or absent; a stale kubeconfig entry is repaired.
 * Returns what was done, for the checklist.
 */
export async function ensureMinikubeRunning(runner: Runner, profile: string, out: Output): Promise<string> {
  const statusArgs = ['status', '-p', profile, '-o', 'json'];
  const before = parseMinikubeStatus((await runner.run('minikube', statusArgs, { timeoutMs: 30_000 })).stdout);
  if (minikubeRunning(before)) {
    if (before?.kubeconfig && before.kubeconfig !== 'Configured') {
      out.line(`  minikube kubeconfig is ${before.kubeconfig}: running \`minikube update-context -p ${profile}\``);
      await runner.run('minikube', ['update-context', '-p', profile], { timeoutMs: 30_000 });
    }
    return 'running';
  }
  out.line(`  minikube profile "${profile}" is ${before?.host || 'not created'}: starting it with --driver=docker (1-3 minutes the first time)…`);
  const started = await runner.run('minikube', ['start', '-p', profile, '--driver=docker'], {
    timeoutMs: 10 * 60_000,
    onLine: (line) => out.line(`    ${line.trim()}`),
  });
  if (started.code !== 0) {
    throw new PreflightError([
      {
        thing: `minikube (profile ${profile})`,
        problem: `\`minikube start -p ${profile} --driver=docker\` failed (exit ${started.code}${started.timedOut ? ', timed out after 10 minutes' : ''})`,
        fix: `read its output above; common fixes: start Docker first, \`minikube delete -p ${profile}\` then re-run, or give Docker more memory (minikube needs ~2 GB)`,
      },
    ]);
  }
  return 'started';
}
