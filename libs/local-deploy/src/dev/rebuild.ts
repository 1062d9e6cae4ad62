import { relative } from 'node:path';
import { HEALTH_PATHS } from '@llmops-rag/contract';
import { formatDuration } from '../checklist.js';
import { runDeploy, type DeployDeps, type DeployResult } from '../deploy.js';
import type { KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import { reportPodUsage } from '../verify/usage-check.js';
import { failedStep, type DevOptions, type DevResult } from './dev-options.js';
import type { PodForwarder } from './forwarder.js';
import type { LogStreams } from './log-streams.js';
import { podLabel, readyPods, type PodTarget } from './pod-target.js';
import { liveUpdate } from './live-update.js';
import { loopBuild } from './loop-build.js';
import { choosePath } from './loop-path.js';
import { formatStages, loopStages, waitForNewPodAnswer } from './timing.js';
import { deriveWatchSet, type BundleEntry, type WatchSet } from './watch-set.js';
import type { Burst, SourceWatcher } from './watcher.js';

/** What a rebuild works with, and the loop's state it updates. */
export interface RebuildContext {
  options: DevOptions;
  deps: DeployDeps;
  api: () => KubeApi;
  target: PodTarget;
  forwarder: PodForwarder;
  streams: LogStreams;
  entry: BundleEntry;
  watcher: () => SourceWatcher | undefined;
  state: {
    /** The release the cluster runs, as the last deploy reported it (its revision, or the one a rollback restored). */
    running?: number;
    watchSet: WatchSet;
  };
  result: DevResult;
}

/** Which pods answer now. */
async function podNames(api: KubeApi, target: PodTarget): Promise<string[]> {
  return (await readyPods(api, target).catch(() => [])).map((p) => p.metadata.name);
}

/** After a failed rebuild: which pod still answers. */
export async function reportServing(api: KubeApi, target: PodTarget, out: Output): Promise<void> {
  const pods = (await readyPods(api, target).catch(() => [])).map(podLabel);
  out.line(pods.length ? `  still serving: ${pods.join(', ')} (the last good release)` : '  no Ready pod is serving right now');
}

/**
 * One round of the loop. It says which path it takes and why (loop-path.ts): the live path (live-update.ts) for a
 * change of app sources only, else the full one; a live update the pod cannot take (no supervisor reachable) falls
 * back to the full path, saying so.
 */
export async function rebuild(burst: Burst, ctx: RebuildContext): Promise<void> {
  const { options, deps, state, result } = ctx;
  const root = options.deploy.workspaceRoot;
  result.rebuilds += 1;
  const names = burst.files.map((f) => relative(root, f));
  const what = names.length === 1 ? names[0] : `${names.length} files (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
  const path = choosePath(burst.files, state.watchSet, root);
  deps.out.line(`\n↻ ${what} changed: ${path.path === 'live' ? 'live update' : 'rebuild and redeploy'} (${path.why})`);
  if (path.path === 'live') {
    const live = await liveUpdate(burst, ctx);
    if (live.done) return;
    deps.out.line(`  ↪ full loop instead: ${live.why}`);
  }
  await fullRebuild(burst, ctx, path.synth);
}

/**
 * The full path: the deploy again without the verify, with the loop's own build phase (loop-build.ts: bundle in
 * process, the image, synth only when a manifest source changed), then load, apply with the new image ID, wait for
 * Ready. A failure says which step and what still serves, and widens the watch to any saved file; a success
 * re-derives the watch set, follows the new pod's logs and prints save → new code answering through the forward.
 */
async function fullRebuild(burst: Burst, ctx: RebuildContext, synth: boolean): Promise<void> {
  const { options, deps, target, forwarder, state, result } = ctx;
  const { out } = deps;
  const root = options.deploy.workspaceRoot;
  const before = new Set(await podNames(ctx.api(), target));
  const deployStartedAt = performance.now();
  let deployed: DeployResult;
  try {
    deployed = await runDeploy({ ...options.deploy, verify: false, build: loopBuild(root, ctx.entry, synth) }, deps);
  } catch (error) {
    // A refusal (PreflightError): minikube stopped, the context changed… nothing was changed.
    result.failedRebuilds += 1;
    out.line(`✗ not deployed: ${error instanceof Error ? error.message : String(error)}`);
    await reportServing(ctx.api(), target, out);
    return;
  }
  const deployEndedAt = performance.now();
  if (!deployed.ok) {
    result.failedRebuilds += 1;
    out.line(`✗ not deployed: ${failedStep(deployed.checklist.results)}`);
    if (deployed.rolledBackTo !== undefined) {
      state.running = deployed.rolledBackTo;
      out.line(`  rolled back to revision ${deployed.rolledBackTo}`);
    }
    await reportServing(ctx.api(), target, out);
    await ctx.streams.sync(target).catch(() => undefined);
    widenWatch(ctx);
    return;
  }
  state.running = deployed.revision ?? state.running;
  await rewatch(ctx);
  await ctx.streams.sync(target).catch(() => undefined);

  const revision = deployed.revision !== undefined ? ` revision ${deployed.revision}` : '';
  const times = { savedAt: burst.firstAt, deployStartedAt, deployEndedAt };
  const after = await podNames(ctx.api(), target);
  if (after.every((pod) => before.has(pod))) {
    out.line(`✓ deployed${revision}: the image did not change, ${after.join(', ')} already serves this code`);
    out.line(`⏱ save → deployed in ${formatDuration(deployEndedAt - burst.firstAt)} (${formatStages(loopStages(times, deployed.checklist.results))})`);
    return;
  }
  const timeoutMs = options.answerTimeoutMs ?? 60_000;
  const answered = await waitForNewPodAnswer(forwarder, HEALTH_PATHS.ready, before, { timeoutMs });
  if (!answered) {
    out.line(`⚠ deployed${revision}, but no new pod answered ${HEALTH_PATHS.ready} through 127.0.0.1:${forwarder.port} within ${formatDuration(timeoutMs)}`);
    return;
  }
  const stages = loopStages({ ...times, answeredAt: answered.at }, deployed.checklist.results);
  out.line(`✓ deployed${revision}: ${answered.pod} answers through 127.0.0.1:${forwarder.port}`);
  out.line(`⏱ save → new code answering in ${formatDuration(answered.at - burst.firstAt)} (${formatStages(stages)})`);
  void reportPodUsage(ctx.api(), target, answered.pod, out, options.signal, deps.clock);
}

/** After a failed round: until a rebuild succeeds, any saved file counts (the fix may be a file the bundle could not resolve yet). */
export function widenWatch(ctx: RebuildContext): void {
  ctx.watcher()?.update(ctx.state.watchSet, { anyFile: true });
  ctx.deps.out.line('  fix it and save again; still watching');
}

/** After a good round: the imports may have changed, so watch what the bundle reads now (and only that again). */
export async function rewatch(ctx: RebuildContext): Promise<void> {
  try {
    ctx.state.watchSet = await deriveWatchSet(ctx.options.deploy.workspaceRoot, ctx.entry);
  } catch {
    // The sources do not bundle on their own right now; the last good watch set stays.
  }
  ctx.watcher()?.update(ctx.state.watchSet);
}
