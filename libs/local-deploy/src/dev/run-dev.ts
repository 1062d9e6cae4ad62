import { dirname, join } from 'node:path';
import { NAMES } from '@llmops-rag/k8s-manifests';
import { artifactPaths, IMAGE_ID_ANNOTATION, runDeploy, type DeployDeps } from '../deploy.js';
import { shortId } from '../image-archive.js';
import type { KubeApi } from '../kube.js';
import type { LockSession } from '../lock/hold.js';
import { readSynthOutput } from '../manifests.js';
import type { Output } from '../types.js';
import { DEV_LOOP_OVERLAY, DEV_READINESS, devLoopOverlay, plainDeployCommand } from './dev-overlay.js';
import { disposeBundlers } from './bundle-app.js';
import { failedStep, type DevOptions, type DevResult } from './dev-options.js';
import { supervisorScript } from './live/supervisor-script.js';
import { startForwarder, type PodForwarder } from './forwarder.js';
import { LogStreams } from './log-streams.js';
import { podLabel, podTarget, readyPods, type PodTarget } from './pod-target.js';
import { RebuildQueue } from './rebuild-queue.js';
import { rebuild, type RebuildContext } from './rebuild.js';
import { deriveWatchSet, describeWatchSet, readBundleEntry } from './watch-set.js';
import { watchSources, type SourceWatcher } from './watcher.js';

export { failedStep, type DevOptions, type DevResult } from './dev-options.js';

/**
 * `nx run k8s-manifests:dev`: deploy once (verified), then on every save of a file the app's bundle reads, rebuild and
 * redeploy without the verify (one at a time; saves during a rebuild queue one more, src/dev/rebuild.ts), while a
 * port-forward that follows the Ready pod and the pods' logs keep running. A rebuild that fails leaves the last good
 * pod serving and says which step failed. Ends when `signal` aborts, leaving the last good release running.
 * The namespace's lock is taken by the first deploy and held (renewed) for the whole session, so no other deploy,
 * rollback or teardown changes the namespace between two saves; it is released when dev stops.
 */
export async function runDev(given: DevOptions, givenDeps: DeployDeps): Promise<DevResult> {
  const session: LockSession = { command: 'dev' };
  const deps: DeployDeps = { ...givenDeps, lock: { ...givenDeps.lock, session } };
  // Every deploy of the loop carries the dev-loop overlay (fast readiness, the live-update supervisor), in memory only.
  const options: DevOptions = { ...given, deploy: { ...given.deploy, overlay: devLoopOverlay({ script: await supervisorScript() }) } };
  const { out } = deps;
  const root = options.deploy.workspaceRoot;
  let target: PodTarget | undefined;
  // The API client is made after the first deploy's preflight has checked the kubeconfig and the context.
  let kube: KubeApi | undefined;
  const api = () => (kube ??= deps.kubeApi());
  // The port first: a taken port is a flag problem, found before anything is built.
  const forwarder = await startForwarder(api, () => target, { port: options.port, out });
  let streams: LogStreams | undefined;
  let watcher: SourceWatcher | undefined;
  let logTimer: NodeJS.Timeout | undefined;
  const result: DevResult = { ok: true, rebuilds: 0, failedRebuilds: 0 };
  const state: RebuildContext['state'] = { watchSet: { files: new Set(), dirs: [] } };

  try {
    out.line(`▶ dev: first deploy (verified), then watch; 127.0.0.1:${forwarder.port} forwards to the Ready pod`);
    // Ctrl-C during the first deploy stops it as it stops a deploy (restore, record), then dev ends.
    const first = await runDeploy({ ...options.deploy, signal: options.signal }, deps);
    if (first.interrupted) {
      out.line(`\n■ dev: stopped by ${first.interrupted} during the first deploy`);
      return { ...result, ok: first.ok };
    }
    if (!first.ok) {
      out.line(
        `\n✗ dev: the first deploy failed at ${failedStep(first.checklist.results)}\n  fix what it reports and run \`npx nx run k8s-manifests:dev\` again`,
      );
      return { ...result, ok: false };
    }
    state.running = first.revision;
    const where = podTarget(readSynthOutput(artifactPaths(root, options.deploy.manifestsProfile).manifestsDir));
    target = where;
    if (options.signal.aborted) return result;
    const logs = new LogStreams(api(), out);
    streams = logs;
    await logs.sync(where);
    logTimer = setInterval(() => void logs.sync(where).catch(() => undefined), options.logSyncMs ?? 2000);

    const nx = join(root, 'node_modules', '.bin', 'nx');
    const env = { ...deps.env, PATH: `${dirname(process.execPath)}:${deps.env.PATH ?? ''}`, NX_DAEMON: deps.env.NX_DAEMON ?? 'false' };
    const entry = await readBundleEntry(deps.runner, root, nx, env);
    state.watchSet = await deriveWatchSet(root, entry);

    const context: RebuildContext = { options, deps, api, target: where, forwarder, streams: logs, entry, watcher: () => watcher, state, result };
    const queue = new RebuildQueue((burst) => rebuild(burst, context));
    let deaf: string | undefined;
    let wakeUp = () => undefined as void;
    watcher = watchSources(state.watchSet, (burst) => queue.request(burst), {
      debounceMs: options.debounceMs ?? 300,
      root,
      onNotice: (line) => out.line(line),
      onFatal: (message) => {
        deaf = message;
        wakeUp();
      },
    });
    out.line(`\n👀 watching ${describeWatchSet(state.watchSet, root)} (Ctrl-C stops)`);

    await new Promise<void>((resolve) => {
      wakeUp = resolve;
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (deaf) {
      // A loop that cannot see saves must not look like it is still watching.
      out.line(`\n✗ dev: ${deaf}\n  fix: see what holds the folders (inotify limits: \`sysctl fs.inotify\`), then run \`npx nx run k8s-manifests:dev\` again`);
      result.ok = false;
    }
    out.line('\n■ stopping: watcher closed' + (queue.busy ? ', waiting for the running deploy to finish or restore' : ''));
    watcher.close();
    queue.clearQueued();
    await queue.idle();
    return result;
  } finally {
    watcher?.close();
    if (logTimer) clearInterval(logTimer);
    streams?.stopAll();
    await forwarder.close();
    await disposeBundlers();
    if (target) {
      await reportRunning(api(), target, out, forwarder, state.running);
      out.line(
        `  it runs with the ${DEV_LOOP_OVERLAY} overlay (readiness every ${DEV_READINESS.periodSeconds}s, no initial delay; the live-update supervisor); ` +
          `back to the plain profile: ${plainDeployCommand(options.deploy.mode)}`,
      );
    }
    await session.lock?.release();
  }
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
      `${revision ? ` (rollout revision ${revision})` : ''}${imageId ? `, image ${shortId(imageId)}` : ''}, ` +
      `${pods.length ? `Ready: ${pods.map(podLabel).join(', ')}` : 'no Ready pod'}`,
  );
}
