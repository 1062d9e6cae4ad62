import { join } from 'node:path';
import { HEALTH_PATHS } from '@llmops-rag/contract';
import { formatDuration } from '../checklist.js';
import { bundleApp } from './bundle-app.js';
import { LiveUpdateRefused, syncToPod, type SyncResult } from './live/sync-client.js';
import { readyPods } from './pod-target.js';
import { reportServing, rewatch, widenWatch, type RebuildContext } from './rebuild.js';
import { formatStages, getThroughForward, type StageTime } from './timing.js';
import type { BundleEntry } from './watch-set.js';
import type { Burst } from './watcher.js';

/** Where the live path bundles (never dist/: the image build reads that). */
export const LIVE_BUNDLE_DIR = join('tmp', 'dev-loop', 'bundle');

/**
 * The bundle for the live path, into LIVE_BUNDLE_DIR: rag-api:build's options without source maps (the image has
 * none either: .dockerignore leaves them out), so the code is the image's own and only the trailing
 * `//# sourceMappingURL` comment differs; writing the maps took about a third of a rebuild.
 */
export function bundleForLive(root: string, entry: BundleEntry): Promise<{ outdir: string; ms: number }> {
  return bundleApp(root, entry, LIVE_BUNDLE_DIR, { sourcemap: false });
}

export type LiveOutcome = { done: true } | { done: false; why: string };

/**
 * The live path, like Tilt's live_update: the bundle built in this process, sent to each serving pod's supervisor
 * (only the files that changed), which restarts the app in place on it; no image, no synth, no rollout, no new pod.
 * Done when every pod answers from the new bundle, or when the new code failed (it does not bundle, or the app does not
 * start on it: the pod went back to the previous bundle and keeps serving; the full loop would fail the same way).
 * Not done, with the reason, when the pods cannot take a live update (no supervisor answering: say, a plain deploy ran
 * since): the caller then takes the full path.
 */
export async function liveUpdate(burst: Burst, ctx: RebuildContext): Promise<LiveOutcome> {
  const { options, deps, target, forwarder, result } = ctx;
  const { out } = deps;
  const root = options.deploy.workspaceRoot;
  const startedAt = performance.now();
  let bundleMs: number;
  try {
    bundleMs = (await bundleForLive(root, ctx.entry)).ms;
  } catch (error) {
    result.failedRebuilds += 1;
    out.line(`✗ not updated: ${error instanceof Error ? error.message : String(error)}`);
    await reportServing(ctx.api(), target, out);
    widenWatch(ctx);
    return { done: true };
  }
  const pods = (await readyPods(ctx.api(), target).catch(() => [])).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  if (pods.length === 0) return { done: false, why: 'no Ready pod to update in place' };
  const syncStartedAt = performance.now();
  const synced: [string, SyncResult][] = [];
  for (const pod of pods) {
    try {
      synced.push([pod, await syncToPod(ctx.api(), target.namespace, pod, join(root, LIVE_BUNDLE_DIR))]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof LiveUpdateRefused)) return { done: false, why: `${pod} has no live-update supervisor answering (${message.split('\n')[0]})` };
      result.failedRebuilds += 1;
      out.line(`✗ not updated: ${pod} did not start on the new bundle: ${message}`);
      await reportServing(ctx.api(), target, out);
      widenWatch(ctx);
      return { done: true };
    }
  }
  const syncedAt = performance.now();
  const answer = await getThroughForward(forwarder, HEALTH_PATHS.ready);
  const answeredAt = performance.now();
  await rewatch(ctx);
  const restartMs = Math.max(...synced.map(([, s]) => s.readyMs));
  const stages: StageTime[] = [
    { stage: 'wait', ms: startedAt - burst.firstAt },
    { stage: 'bundle', ms: bundleMs },
    { stage: 'sync', ms: syncedAt - syncStartedAt - restartMs },
    { stage: 'restart', ms: restartMs },
    { stage: 'answering', ms: answeredAt - syncedAt },
  ];
  if (synced.every(([, s]) => s.sent.length === 0)) {
    out.line(`✓ the bundle did not change: ${pods.join(', ')} already serve${pods.length === 1 ? 's' : ''} this code`);
    out.line(`⏱ save → checked in ${formatDuration(answeredAt - burst.firstAt)} (live: ${formatStages(stages.slice(0, 2))})`);
    return { done: true };
  }
  const summary = synced.map(
    ([pod, s]) => `${pod} (generation ${s.generation}, ${s.sent.length} file${s.sent.length === 1 ? '' : 's'}, ${(s.bytes / 1024).toFixed(0)} KiB)`,
  );
  if (!answer || answer.status < 200 || answer.status >= 300) {
    out.line(
      `⚠ live-updated ${summary.join(', ')}, but ${HEALTH_PATHS.ready} through 127.0.0.1:${forwarder.port} answered ${answer ? answer.status : 'nothing'}`,
    );
    return { done: true };
  }
  out.line(`✓ live-updated ${summary.join(', ')}: the app restarted in place, no new image or pod; ${answer.pod} answers through 127.0.0.1:${forwarder.port}`);
  out.line(`⏱ save → new code answering in ${formatDuration(answeredAt - burst.firstAt)} (live: ${formatStages(stages)})`);
  return { done: true };
}
