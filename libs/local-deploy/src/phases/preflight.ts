import { DotEnvFileError, readDotEnv } from '@llmops-rag/k8s-manifests';
import { PreflightError } from '../preflight-error.js';
import type { Checklist } from '../checklist.js';
import { gatherClusterFacts, loaderTools, type ContextInfo, type LocalCluster } from '../cluster-kinds.js';
import { guardContext } from '../context-guard.js';
import type { artifactPaths, DeployDeps, DeployOptions } from '../deploy-options.js';
import { checkDockerEngine, ensureMinikubeRunning, requireTools, type Tool } from '../preflight.js';
import type { Output } from '../types.js';

export interface Preflight {
  /** The recognised local cluster, or undefined when only --allow-context let it through. */
  cluster: LocalCluster | undefined;
  context: ContextInfo;
  /** The .env's values, in memory. */
  dotEnv: Record<string, string>;
}

/**
 * Phase 1, before anything slow or any change: tools on PATH, the Docker engine, minikube (started if
 * stopped), the context guard and the loader's tools, then the .env. Throws PreflightError (exit 3).
 */
export async function preflight(options: DeployOptions, deps: DeployDeps, checklist: Checklist, paths: ReturnType<typeof artifactPaths>): Promise<Preflight> {
  const { runner, out } = deps;
  // Docker is needed up front only to build the image or to run minikube (--driver=docker);
  // otherwise only if the recognised cluster's loader drives it (decided after the context guard).
  const dockerUpFront = options.mode === 'minikube' || !options.skipBuild;
  const tools: Tool[] = [...(dockerUpFront ? (['docker'] as const) : []), 'kubectl', ...(options.mode === 'minikube' ? (['minikube'] as const) : [])];
  await checklist.step('Tools on PATH', async () => {
    requireTools(runner, tools);
    return { detail: tools.join(', '), value: undefined };
  });
  if (dockerUpFront) await checklist.step('Docker engine', async () => ({ detail: `server ${await checkDockerEngine(runner)}`, value: undefined }));
  if (options.mode === 'minikube') {
    await checklist.step(`minikube running (${options.profile})`, async () => ({
      detail: await ensureMinikubeRunning(runner, options.profile, out),
      value: undefined,
    }));
  }
  const { cluster, context, loaderNeeds } = await checklist.step('Kube context is local', async () => {
    const ctx = deps.kubeContext();
    const facts = await gatherClusterFacts(runner);
    const expectation = options.mode === 'minikube' ? ({ mode: 'minikube', profile: options.profile } as const) : ({ mode: 'local' } as const);
    const guard = guardContext(ctx, expectation, facts, options.allowContext);
    if (guard.warning) out.line(`  ⚠ ${guard.warning}`);
    // A --load-command replaces the deploy's own loader, and with it the loader's tools.
    const needs = guard.cluster && !options.loadCommand ? loaderTools(guard.cluster.kind) : [];
    requireTools(runner, needs);
    const what = guard.cluster ? `${guard.cluster.kind} (${guard.cluster.target})` : 'unrecognised, allowed by flag';
    return { detail: `${ctx?.name} → ${what}`, value: { cluster: guard.cluster, context: ctx as ContextInfo, loaderNeeds: needs } };
  });
  if (!dockerUpFront) {
    if (loaderNeeds.includes('docker')) {
      await checklist.step('Docker engine', async () => ({
        detail: `server ${await checkDockerEngine(runner)} (the ${cluster?.kind} image loader uses it)`,
        value: undefined,
      }));
    } else {
      checklist.skip(
        'Docker engine',
        `not needed: --skip-build and ${cluster ? `the ${cluster.kind} loader does not use it` : options.loadCommand ? 'the image is loaded by --load-command' : 'no loader for this cluster'}`,
      );
    }
  }

  // .env is checked before anything is built or changed (a bad file refuses the deploy).
  const dotEnv = readDotEnvInPreflight(options.envFile ?? paths.dotEnv, out);
  return { cluster, context, dotEnv };
}

/** `.env` checked and parsed before anything is built: a file that can't be used refuses (exit 3); each unusable line warns. */
export function readDotEnvInPreflight(path: string, out: Output): Record<string, string> {
  try {
    return readDotEnv(path, (warning) => out.line(`  ⚠ ${warning}`));
  } catch (error) {
    if (error instanceof DotEnvFileError) throw new PreflightError([error.asProblem()]);
    throw error;
  }
}
