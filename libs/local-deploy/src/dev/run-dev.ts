import { dirname, join } from 'node:path';
import { HEALTH_PATHS } from '@llmops-rag/contract';
import { NAMES } from '@llmops-rag/k8s-manifests';
import { formatDuration, type CheckResult } from '../checklist.js';
import { artifactPaths, IMAGE_ID_ANNOTATION, runDeploy, type DeployDeps, type DeployOptions, type DeployResult } from '../deploy.js';
import { shortId } from '../image-archive.js';
import type { KubeApi } from '../kube.js';
import { readSynthOutput } from '../manifests.js';
import type { Output } from '../types.js';
import { startForwarder, type PodForwarder } from './forwarder.js';
import { LogStreams } from './log-streams.js';
import { podTarget, readyPods, type PodTarget } from './pod-target.js';
import { RebuildQueue } from './rebuild-queue.js';
import { formatStages, loopStages, waitForNewPodAnswer } from './timing.js';
import { deriveWatchSet, describeWatchSet, readBundleEntry, type BundleEntry, type WatchSet } from './watch-set.js';
import { watchSources, type Burst, type SourceWatcher } from './watcher.js';

export interface DevOptions {
  /** The deploy each round runs (the first with the full verify, the rest with `verify: false`). */
  deploy: DeployOptions;
  /** Local port of the forward on 127.0.0.1 (the spec's 8080; 0 picks a free one). */
  port: number;
  /** Ends the loop (Ctrl-C): the watcher, the forward and the log streams stop, an in-flight deploy finishes first. */
  signal: AbortSignal;
  /** Saves closer together than this are one rebuild (default 300 ms). */
  debounceMs?: number;
  /** How long to poll through the forward for the new pod's answer after a deploy (default 60 s). */
  answerTimeoutMs?: number;
  /** How often the log streams look for pods that became Ready (default 2 s). */
  logSyncMs?: number;
}

export interface DevResult {
  ok: boolean;
  /** Rebuilds run after the first deploy, and how many of them failed. */
  rebuilds: number;
  failedRebuilds: number;
}

/** The first failed step of a deploy: `Build image (nx run rag-api:docker): \`nx run rag-api:docker\` failed (exit 1)`. */
export function failedStep(steps: readonly CheckResult[]): string {
  const failed = steps.find((s) => !s.ok && !s.skipped);
  return failed ? `${failed.name}: ${failed.detail ?? 'failed'}` : 'the deploy failed before its checklist';
}

/**
 * `nx run k8s-manifests:dev`: deploy once (verified), then on every save of a file the app's bundle reads, rebuild and
 * redeploy without the verify (one at a time; saves during a rebuild queue one more), while a port-forward that
 * follows the Ready pod and the pods' logs keep running. A rebuild that fails leaves the last good pod serving and
 * says which step failed. Ends when `signal` aborts, leaving the last good release running.
 */
export async function runDev(options: DevOptions, deps: DeployDeps): Promise<DevResult> {
  const { out } = deps;
  const root = options.deploy.workspaceRoot;
  let target: PodTarget | undefined;
  // The API client is made after the first deploy's preflight has checked the kubeconfig and the context.
  let kube: KubeApi | undefined;
  const api = () => (kube ??= deps.kubeApi());
  // The port first: a taken port is a flag problem, found before anything is built.
  const forwarder = await startForwarder(api, () => target, { port: options.port, out });
  let logs: LogStreams | undefined;
  /** The release the cluster runs, as the last deploy reported it (its revision, or the one a rollback restored). */
  let running: number | undefined;
  let watcher: SourceWatcher | undefined;
  let logTimer: NodeJS.Timeout | undefined;
  const result: DevResult = { ok: true, rebuilds: 0, failedRebuilds: 0 };

  try {
    out.line(`▶ dev: first deploy (verified), then watch; 127.0.0.1:${forwarder.port} forwards to the Ready pod`);
    const first = await runDeploy(options.deploy, deps);
    if (!first.ok) {
      out.line(
        `\n✗ dev: the first deploy failed at ${failedStep(first.checklist.results)}\n  fix what it reports and run \`npx nx run k8s-manifests:dev\` again`,
      );
      return { ...result, ok: false };
    }
    running = first.revision;
    if (options.signal.aborted) return result;
    target = podTarget(readSynthOutput(artifactPaths(root, options.deploy.manifestsProfile).manifestsDir));
    const streams = new LogStreams(api(), out);
    logs = streams;
    await streams.sync(target);
    logTimer = setInterval(() => void streams.sync(target as PodTarget).catch(() => undefined), options.logSyncMs ?? 2000);

    const nx = join(root, 'node_modules', '.bin', 'nx');
    const env = { ...deps.env, PATH: `${dirname(process.execPath)}:${deps.env.PATH ?? ''}`, NX_DAEMON: deps.env.NX_DAEMON ?? 'false' };
    const entry: BundleEntry = await readBundleEntry(deps.runner, root, nx, env);
    let watchSet: WatchSet = await deriveWatchSet(root, entry);

    const rebuild = async (burst: Burst) => {
      result.rebuilds += 1;
      const where = target as PodTarget;
      const names = burst.files.map((f) => f.slice(root.length + 1));
      out.line(
        `\n↻ ${names.length === 1 ? names[0] : `${names.length} files (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`} changed: rebuild and redeploy`,
      );
      const before = new Set((await readyPods(api(), where).catch(() => [])).map((p) => p.metadata.name));
      const deployStartedAt = performance.now();
      let deployed: DeployResult;
      try {
        deployed = await runDeploy({ ...options.deploy, verify: false }, deps);
      } catch (error) {
        result.failedRebuilds += 1;
        out.line(`✗ not deployed: ${error instanceof Error ? error.message : String(error)}`);
        await reportServing(api(), where, out);
        return;
      }
      const deployEndedAt = performance.now();
      if (!deployed.ok) {
        result.failedRebuilds += 1;
        out.line(`✗ not deployed: ${failedStep(deployed.checklist.results)}`);
        if (deployed.rolledBackTo !== undefined) {
          running = deployed.rolledBackTo;
          out.line(`  rolled back to revision ${deployed.rolledBackTo}`);
        }
        await reportServing(api(), where, out);
        await streams.sync(where).catch(() => undefined);
        // Until a rebuild succeeds, any saved file counts: the fix may be a file the bundle could not resolve yet.
        watcher?.update(watchSet, { anyFile: true });
        out.line('  fix it and save again; still watching');
        return;
      }
      running = deployed.revision ?? running;
      try {
        // The imports may have changed: watch what the bundle reads now (and only that again, after a failure).
        watchSet = await deriveWatchSet(root, entry);
      } catch {
        // The sources do not bundle on their own right now; the last good watch set stays.
      }
      watcher?.update(watchSet);
      await streams.sync(where).catch(() => undefined);
      const after = (await readyPods(api(), where).catch(() => [])).map((p) => p.metadata.name);
      if (after.every((pod) => before.has(pod))) {
        out.line(
          `✓ deployed${deployed.revision !== undefined ? ` revision ${deployed.revision}` : ''}: the image did not change, ${after.join(', ')} already serves this code`,
        );
        out.line(
          `⏱ save → deployed in ${formatDuration(deployEndedAt - burst.firstAt)} (${formatStages(loopStages({ savedAt: burst.firstAt, deployStartedAt, deployEndedAt }, deployed.checklist.results))})`,
        );
      } else {
        const answered = await waitForNewPodAnswer(forwarder, HEALTH_PATHS.ready, before, { timeoutMs: options.answerTimeoutMs ?? 60_000 });
        const stages = loopStages(
          { savedAt: burst.firstAt, deployStartedAt, deployEndedAt, ...(answered ? { answeredAt: answered.at } : {}) },
          deployed.checklist.results,
        );
        if (answered) {
          out.line(
            `✓ deployed${deployed.revision !== undefined ? ` revision ${deployed.revision}` : ''}: ${answered.pod} answers through 127.0.0.1:${forwarder.port}`,
          );
          out.line(`⏱ save → new code answering in ${formatDuration(answered.at - burst.firstAt)} (${formatStages(stages)})`);
        } else {
          out.line(
            `⚠ deployed, but no new pod answered ${HEALTH_PATHS.ready} through 127.0.0.1:${forwarder.port} within ${formatDuration(options.answerTimeoutMs ?? 60_000)}`,
          );
        }
      }
    };
    const queue = new RebuildQueue(rebuild);
    watcher = watchSources(watchSet, (burst) => queue.request(burst), { debounceMs: options.debounceMs ?? 300 });
    out.line(`\n👀 watching ${describeWatchSet(watchSet, root)} (Ctrl-C stops)`);

    await new Promise<void>((resolve) => (options.signal.aborted ? resolve() : options.signal.addEventListener('abort', () => resolve(), { once: true })));
    out.line('\n■ stopping: watcher closed' + (queue.busy ? ', waiting for the running deploy to finish or restore' : ''));
    watcher.close();
    queue.clearQueued();
    await queue.idle();
    return result;
  } finally {
    watcher?.close();
    if (logTimer) clearInterval(logTimer);
    logs?.stopAll();
    await forwarder.close();
    if (target) await reportRunning(api(), target, out, forwarder, running);
  }
}

/** After a failed rebuild: which pod still answers. */
async function reportServing(api: KubeApi, target: PodTarget, out: Output): Promise<void> {
  const pods = await readyPods(api, target).catch(() => []);
  out.line(pods.length ? `  still serving: ${pods.map((p) => p.metadata.name).join(', ')} (the last good release)` : '  no Ready pod is serving right now');
}

/** On stop: the release left running. */
async function reportRunning(api: KubeApi, target: PodTarget, out: Output, forwarder: PodForwarder, release: number | undefined): Promise<void> {
  const deployment = await api.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: NAMES.deployment, namespace: target.namespace }).catch(() => undefined);
  const revision = deployment?.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const imageId = (deployment?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations?.[
    IMAGE_ID_ANNOTATION
  ];
  const pods = await readyPods(api, target).catch(() => []);
  out.line(
    `■ dev stopped; 127.0.0.1:${forwarder.port} closed. Left running: ${release !== undefined ? `release revision ${release}, ` : ''}deployment/${NAMES.deployment}` +
      `${revision ? ` (rollout revision ${revision})` : ''}` +
      `${imageId ? `, image ${shortId(imageId)}` : ''}, ${pods.length ? `Ready: ${pods.map((p) => p.metadata.name).join(', ')}` : 'no Ready pod'}`,
  );
}
