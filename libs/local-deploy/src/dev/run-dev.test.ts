import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '@llmops-rag/platform';
import type { DeployOptions } from '../deploy.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { PodStatusOf } from '../testing/deployment-controller.js';
import { BufferOutput, crashLoopStatus, templateAnnotation } from '../testing/fakes.js';
import { IMAGE_ID_ANNOTATION } from '../deploy.js';
import { apiServer } from '../testing/hosts.js';
import { DEV_APP_ENTRY, DevHost, makeDevWorkspace } from '../testing/dev-workspace.js';
import { withLivePods } from '../testing/live-pods.js';
import { SERVED_BY, withPodPortForward } from '../testing/pod-port-forward.js';
import { LockBusyError } from '../lock/errors.js';
import { leaseRef, readLease } from '../lock/lease.js';
import { acquireLock } from '../lock/namespace-lock.js';
import { listReleases } from '../release/store.js';
import { runDev, type DevResult } from './run-dev.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** GET through the dev forward: status, the pod that answered (its header) and the body; or the socket error. */
function get(port: number, path: string): Promise<{ status: number; pod: string | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, pod: res.headers[SERVED_BY] as string | undefined, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

async function startDev(setup: { debounceMs?: number; podStatus?: PodStatusOf; lingering?: boolean } = {}) {
  const ws = makeDevWorkspace('1'.repeat(64));
  cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
  const dev = new DevHost(ws, '1'.repeat(64));
  cleanups.push(() => dev.remove());
  const kube = withLivePods(withPodPortForward(apiServer(setup.podStatus, setup.lingering ? { readyWhileTerminatingMs: 3000 } : {})), ws, DEV_APP_ENTRY);
  cleanups.push(() => kube.stopAll());
  const out = new BufferOutput();
  const port = await freePort();
  const controller = new AbortController();
  const deploy: DeployOptions = { mode: 'minikube', profile: 'minikube', timeoutMs: 10_000, skipBuild: false, workspaceRoot: ws };
  const done: Promise<DevResult> = runDev(
    { deploy, port, signal: controller.signal, debounceMs: setup.debounceMs ?? 150, logSyncMs: 100, answerTimeoutMs: 5000 },
    { runner: dev.runner, out, kubeContext: () => dev.context, kubeApi: () => kube, clock: kube.clock, env: {} },
  );
  let stopped = false;
  cleanups.push(async () => {
    if (!stopped) {
      controller.abort();
      await done.catch(() => undefined);
    }
  });
  await until(() => out.text.includes('👀 watching') || out.text.includes('✗ dev:'), 'the first deploy');
  expect(out.text, out.text).toContain('👀 watching');
  const stop = async () => {
    stopped = true;
    controller.abort();
    return done;
  };
  const save = (path: string, text: string) => writeFileSync(join(ws, path), text);
  /** The app's pods, less those terminating (a rolled-out pod lingers for its grace period, as on a real cluster). */
  const pods = async () => (await kube.list('v1', 'Pod', 'dev')).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
  const answered = () => out.lines.filter((l) => l.startsWith('⏱')).length;
  const rounds = () => out.lines.filter((l) => l.trimStart().startsWith('↻')).length;
  return { ws, dev, kube, out, port, stop, save, pods, answered, rounds, done };
}

/** Saves that need the full loop: a manifest source (synth runs) and a dependency change (synth skipped). */
const MANIFEST_SOURCE = 'libs/k8s-manifests/src/charts/deployment.ts';
const manifestChange = (n: number) => `export const deployment = { kind: 'Deployment', replicas: ${n} };\n`;
const dependencyChange = (n: number) => JSON.stringify({ name: 'ws', dependencies: { 'left-pad': `1.3.${n}` } });

describe('runDev (nx run k8s-manifests:dev) against the fake API server', () => {
  it("holds the namespace's lock for the whole session (another operation is refused, naming dev), and releases it on stop", async () => {
    const loop = await startDev();
    const lease = () => loop.kube.get(leaseRef('dev'));
    const held = readLease((await lease())!);
    expect(held.holder?.command).toBe('dev');
    const other = acquireLock(loop.kube, { namespace: 'dev', command: 'deploy', waitMs: 0 }, { out: new BufferOutput(), every: () => () => undefined });
    await expect(other).rejects.toBeInstanceOf(LockBusyError);
    await expect(other).rejects.toThrow(/lock on namespace dev: held by dev by \S+ pid \d+, started/);

    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the rebuild');
    expect(loop.out.text).toMatch(/✓ Lock on namespace dev \.+ +\S+ {2}held by this dev session/);
    expect(readLease((await lease())!).identity).toBe(held.identity); // the same lock, not a new one per deploy
    expect((await listReleases(loop.kube, 'dev')).releases.map((r) => r.status)).toEqual(['deployed', 'superseded']);

    await loop.stop();
    expect(await lease()).toBeUndefined();
  });

  it('keeps 127.0.0.1:<port> answering across a roll, from the new pod after it', async () => {
    const loop = await startDev();
    const before = await get(loop.port, '/pod');
    expect(before).toMatchObject({ status: 200 });
    const firstPod = (before as { pod: string }).pod;
    expect(await loop.pods()).toEqual([firstPod]);

    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the new code answering');

    const after = await get(loop.port, '/pod');
    expect(after).toMatchObject({ status: 200 });
    const secondPod = (after as { pod: string }).pod;
    expect(secondPod).not.toBe(firstPod);
    expect(await loop.pods()).toEqual([secondPod]);
    expect(loop.kube.forwards.filter((f) => f.endsWith(':8000')).slice(-2)).toEqual([`${firstPod}:8000`, `${secondPod}:8000`]);
    expect(loop.out.text).toMatch(
      /⏱ save → new code answering in \S+ \(wait \S+ · bundle \S+ · build \S+ · synth \S+ · load \S+ · apply \S+ · rollout \S+ · other \S+ · answering \S+\)/,
    );
    expect(await get(loop.port, '/health/ready')).toMatchObject({ status: 200, pod: secondPod, body: '{"status":"ready","checks":{"api":"ok"}}' });
  });

  it('while the old pod drains (terminating, still Ready), the forward answers from the new pod, and from the old one if the new one goes', async () => {
    const loop = await startDev({ lingering: true });
    const firstPod = ((await get(loop.port, '/pod')) as { pod: string }).pod;
    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the new code answering');
    const pods = await loop.kube.list('v1', 'Pod', 'dev');
    const secondPod = pods.find((p) => !p.metadata.deletionTimestamp)?.metadata.name as string;
    expect(pods.find((p) => p.metadata.name === firstPod)?.metadata.deletionTimestamp).toBeDefined();
    expect(await get(loop.port, '/pod')).toMatchObject({ status: 200, pod: secondPod });
    // The new pod is evicted while the old one still drains: the old one answers rather than a refused connection.
    loop.kube.objects.delete(`Pod/dev/${secondPod}`);
    expect(await get(loop.port, '/pod')).toMatchObject({ status: 200, pod: firstPod });
    expect(loop.out.text).toContain(`now forwards to ${firstPod} (terminating, still Ready: no other pod is)`);
    await loop.stop();
    expect(loop.out.text).toContain(`Ready: ${firstPod} (terminating)`);
  });

  it('rebuilds once for a burst of saves, ignores editor temp files and files the bundle does not read', async () => {
    const loop = await startDev({ debounceMs: 200 });
    expect(loop.dev.builds).toBe(1);
    for (let i = 0; i < 5; i++) {
      loop.save('apps/api/src/port.ts', `export const port = ${8001 + i};\n`);
      loop.save('libs/greeting/src/index.ts', `export const greet = () => 'hello ${i}';\n`);
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => loop.answered() === 1, 'the rebuild');
    expect(loop.out.text).toContain('↻ 2 files (apps/api/src/port.ts, libs/greeting/src/index.ts) changed');

    loop.save('apps/api/src/.port.ts.swp', 'swap');
    loop.save('apps/api/src/port.ts~', 'backup');
    loop.save('apps/api/src/4913', '');
    loop.save('apps/api/src/unused.ts', 'export const unused = 2;\n');
    await new Promise((r) => setTimeout(r, 800));
    expect(loop.rounds()).toBe(1);
  });

  it('rebuilds on every save made by renaming a new file over the old one (sed -i, safe write), not just the first', async () => {
    const loop = await startDev({ debounceMs: 100 });
    for (let i = 1; i <= 3; i++) {
      const file = join(loop.ws, 'apps/api/src/port.ts');
      writeFileSync(`${file}.tmp.${i}`, `export const port = ${8000 + i};\n`);
      renameSync(`${file}.tmp.${i}`, file);
      await until(() => loop.answered() === i, `the rebuild for rename-save ${i}`);
    }
    expect(loop.rounds()).toBe(3);
  });

  it('runs one rebuild at a time: saves during a rebuild queue exactly one more', async () => {
    const loop = await startDev({ debounceMs: 100 });
    loop.dev.buildMs = 1200;
    loop.save('package.json', dependencyChange(1));
    await until(() => loop.dev.builds === 2, 'the rebuild to start');
    for (let i = 0; i < 3; i++) {
      loop.save('package.json', dependencyChange(2 + i));
      await new Promise((r) => setTimeout(r, 250));
    }
    await until(() => loop.answered() === 2, 'both rebuilds', 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(loop.dev.builds).toBe(3);
    expect(loop.dev.maxConcurrentBuilds).toBe(1);
  });

  it('a rebuild that fails keeps the forward on the last good pod, prints the failed step, and takes any save as the fix', async () => {
    const loop = await startDev();
    const good = (await get(loop.port, '/pod')) as { pod: string };
    loop.dev.failBuilds = true;
    loop.save('package.json', dependencyChange(1));
    await until(() => loop.out.text.includes('✗ not deployed'), 'the failed rebuild');
    expect(loop.out.text).toContain('✗ not deployed: Build image (docker build + save: tools/image/cli/docker-archive.ts): the image build failed (exit 1)');
    expect(loop.out.text).toContain(`still serving: ${good.pod} (the last good release)`);
    expect(await get(loop.port, '/pod')).toMatchObject({ status: 200, pod: good.pod });

    // The fix is a file the bundle does not read yet (a missing import's target): after a failure any save counts.
    loop.dev.failBuilds = false;
    loop.save('apps/api/src/missing.ts', 'export const missing = 1;\n');
    await until(() => loop.answered() === 1, 'the fixed rebuild');
    expect(loop.out.text).toContain('↻ apps/api/src/missing.ts changed');
    expect((await get(loop.port, '/pod')) as { pod: string }).not.toMatchObject({ pod: good.pod });
    // After a good rebuild only the files the bundle reads count again.
    loop.save('apps/api/src/missing.ts', 'export const missing = 2;\n');
    await new Promise((r) => setTimeout(r, 600));
    expect(loop.dev.builds).toBe(3);
  });

  it('a rebuild whose pod never becomes Ready is rolled back: the loop says so, and the forward answers from the restored release', async () => {
    const broken = `sha256:${'2'.repeat(64)}`;
    const loop = await startDev({
      podStatus: (deployment) => (templateAnnotation(deployment, IMAGE_ID_ANNOTATION) === broken ? crashLoopStatus() : undefined),
    });
    loop.save('package.json', dependencyChange(1));
    await until(() => loop.out.text.includes('still watching'), 'the failed rollout', 15_000);
    expect(loop.out.text).toContain('✗ not deployed: Rollout of deployment/rag-api: ');
    expect(loop.out.text).toContain('  rolled back to revision 1');
    const [restored] = await loop.pods();
    expect(loop.out.text).toContain(`still serving: ${restored} (the last good release)`);
    const deployment = await loop.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect(templateAnnotation(deployment as KubeObject, IMAGE_ID_ANNOTATION)).toBe(`sha256:${'1'.repeat(64)}`);
    expect(await get(loop.port, '/health/ready')).toMatchObject({ status: 200, pod: restored, body: '{"status":"ready","checks":{"api":"ok"}}' });
    await loop.stop();
    expect(loop.out.text).toContain(
      `Left running: release revision 1, deployment/rag-api (rollout revision 3), image sha256:${'1'.repeat(12)}, Ready: ${restored}`,
    );
  });

  it('streams the logs of the Ready pod with its name as prefix, and of the new pod after a roll', async () => {
    const loop = await startDev();
    const [firstPod] = await loop.pods();
    await until(() => loop.out.text.includes(`[${firstPod}] {"msg":"Application startup complete"}`), 'the first pod’s log tail');
    loop.kube.emitLog('dev', firstPod as string, 'GET /health/ready 200');
    expect(loop.out.lines).toContain(`[${firstPod}] GET /health/ready 200`);

    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the roll');
    const [secondPod] = await loop.pods();
    await until(() => loop.out.text.includes(`[${secondPod}] {"msg":"Application startup complete"}`), 'the new pod’s log');
    loop.kube.emitLog('dev', secondPod as string, 'served by the new code');
    loop.kube.emitLog('dev', firstPod as string, 'a line from a pod that is gone');
    expect(loop.out.lines).toContain(`[${secondPod}] served by the new code`);
    expect(loop.out.text).not.toContain('a line from a pod that is gone');
  });

  it("prints the new pod's CPU and memory once metrics-server has sampled it, after the rollout's answer", async () => {
    const loop = await startDev();
    loop.kube.metricsApi = 'served';
    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the roll');
    const [secondPod] = await loop.pods();
    await until(() => loop.out.lines.some((l) => l.startsWith(`📊 ${secondPod}:`)), 'the usage line');
    const line = loop.out.lines.findIndex((l) => l.startsWith(`📊 ${secondPod}:`));
    expect(loop.out.lines[line]).toBe(`📊 ${secondPod}: CPU 3m / no request, no limit; memory 48Mi / no request, no limit`);
    expect(line).toBeGreaterThan(loop.out.lines.findIndex((l) => l.startsWith('⏱ save → new code answering')));
  });

  it('stops on the signal: the port is closed, the watcher stops, the last release stays, and it says what runs', async () => {
    const loop = await startDev();
    const [pod] = await loop.pods();
    const result = await loop.stop();
    expect(result).toEqual({ ok: true, rebuilds: 0, failedRebuilds: 0 });
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(loop.port, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(loop.out.text).toContain(`Left running: release revision 1, deployment/rag-api (rollout revision 1), image sha256:111111111111, Ready: ${pod}`);
    expect(loop.out.text).toContain(
      'it runs with the dev-loop overlay (readiness every 1s, no initial delay; the live-update supervisor); back to the plain profile: npx nx run k8s-manifests:deploy-minikube --skip-build',
    );
    const deployment = await loop.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect(deployment?.metadata.annotations?.['llmops-rag.io/overlay']).toBe('dev-loop');
    loop.save('apps/api/src/port.ts', 'export const port = 8009;\n');
    await new Promise((r) => setTimeout(r, 500));
    expect(loop.dev.builds).toBe(1);
    expect(await loop.pods()).toEqual([pod]);
  });

  it('on stop during a rebuild, waits for that deploy to finish before it returns', async () => {
    const loop = await startDev({ debounceMs: 50 });
    loop.dev.buildMs = 800;
    loop.save('package.json', dependencyChange(1));
    await until(() => loop.dev.builds === 2, 'the rebuild to start');
    await loop.stop();
    const text = loop.out.text;
    expect(text).toContain('waiting for the running deploy to finish or restore');
    expect(text.indexOf('Deploy checklist', text.indexOf('■ stopping'))).toBeGreaterThan(0);
    expect(text.indexOf('■ dev stopped')).toBeGreaterThan(text.indexOf('Deploy checklist', text.indexOf('■ stopping')));
    expect(text).toMatch(/Left running: release revision 2, deployment\/rag-api \(rollout revision 2\), image sha256:222222222222/);
  });

  it('Ctrl-C during the first deploy stops it at the next safe point (nothing applied) and ends dev', async () => {
    const ws = makeDevWorkspace('1'.repeat(64));
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    const dev = new DevHost(ws, '1'.repeat(64));
    cleanups.push(() => dev.remove());
    dev.buildMs = 500;
    const kube = apiServer();
    const out = new BufferOutput();
    const controller = new AbortController();
    const run = runDev(
      {
        deploy: { mode: 'minikube', profile: 'minikube', timeoutMs: 10_000, skipBuild: false, workspaceRoot: ws },
        port: await freePort(),
        signal: controller.signal,
      },
      { runner: dev.runner, out, kubeContext: () => dev.context, kubeApi: () => kube, clock: kube.clock, env: {} },
    );
    await until(() => dev.builds === 1, 'the first build');
    controller.abort('SIGINT');
    const result = await run;
    expect(result.ok).toBe(false);
    expect(out.text).toContain('■ interrupted by SIGINT before anything was changed in the cluster: nothing to restore');
    expect(out.text).toContain('■ dev: stopped by SIGINT during the first deploy');
    expect(out.text).not.toContain('👀 watching');
    expect(await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' })).toBeUndefined();
  });

  it('refuses a local port that is taken, naming the flag and the fix, before deploying', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => taken.close(() => r())));
    const port = (taken.address() as { port: number }).port;
    const ws = makeDevWorkspace('1'.repeat(64));
    cleanups.push(() => rmSync(ws, { recursive: true, force: true }));
    const dev = new DevHost(ws, '1'.repeat(64));
    cleanups.push(() => dev.remove());
    const out = new BufferOutput();
    const run = runDev(
      { deploy: { mode: 'minikube', profile: 'minikube', timeoutMs: 10_000, skipBuild: false, workspaceRoot: ws }, port, signal: new AbortController().signal },
      { runner: dev.runner, out, kubeContext: () => dev.context, kubeApi: () => apiServer(), env: {} },
    );
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(`--port=${port}: 127.0.0.1:${port} is already in use`);
    await expect(run).rejects.toThrow('fix: stop what listens there');
    expect(dev.builds).toBe(0);
  });
});

/** GET / of the app a live pod runs (its real process): what the code it runs was built from. */
function appAnswer(port: number | undefined): Promise<{ port?: number } | undefined> {
  return new Promise((resolve) => {
    if (port === undefined) return resolve(undefined);
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(JSON.parse(body) as { port: number }));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

describe('the two paths of a save', () => {
  it('an app-source change goes live: the new bundle reaches the running pod and its app restarts in place, no image, no new pod', async () => {
    const loop = await startDev();
    const [pod] = await loop.pods();
    loop.save('apps/api/src/port.ts', 'export const port = 8001;\n');
    await until(() => loop.answered() === 1, 'the live update');
    expect(loop.out.text).toContain('↻ apps/api/src/port.ts changed: live update (only app sources changed)');
    expect(loop.out.text).toMatch(new RegExp(`✓ live-updated ${pod} \\(generation 1, 1 file, \\d+ KiB\\): the app restarted in place, no new image or pod`));
    expect(loop.out.text).toMatch(/⏱ save → new code answering in \S+ \(live: wait \S+ · bundle \S+ · sync \S+ · restart \S+ · answering \S+\)/);
    expect(await appAnswer(loop.kube.appPort(pod as string))).toMatchObject({ port: 8001 });
    expect(await loop.pods()).toEqual([pod]);
    expect(loop.dev.builds).toBe(1);
    expect(loop.out.text.slice(loop.out.text.indexOf('↻'))).not.toContain('Deploy checklist');

    // Again: generation 2, still the same pod.
    loop.save('apps/api/src/port.ts', 'export const port = 8002;\n');
    await until(() => loop.answered() === 2, 'the second live update');
    expect(await appAnswer(loop.kube.appPort(pod as string))).toMatchObject({ port: 8002 });
    expect(loop.out.text).toContain(`✓ live-updated ${pod} (generation 2`);
  });

  it('a manifest source or a dependency change takes the full path and says why; synth runs only for the manifest source; the next source change is live again', async () => {
    const loop = await startDev();
    const synthOutput = () =>
      readdirSync(join(loop.ws, 'dist/k8s/dev'))
        .sort()
        .map((f) => readFileSync(join(loop.ws, 'dist/k8s/dev', f), 'utf8'))
        .join('\n---\n');
    const manifestsBefore = synthOutput();
    const [first] = await loop.pods();
    loop.save(MANIFEST_SOURCE, manifestChange(2));
    await until(() => loop.answered() === 1, 'the full rebuild');
    expect(loop.out.text).toContain(`↻ ${MANIFEST_SOURCE} changed: rebuild and redeploy (${MANIFEST_SOURCE} is a manifest source (synth reads it))`);
    expect(loop.dev.synths).toBe(1);
    expect(loop.dev.builds).toBe(2);
    const [second] = await loop.pods();
    expect(second).not.toBe(first);

    loop.save('package.json', dependencyChange(2));
    await until(() => loop.answered() === 2, 'the second full rebuild');
    expect(loop.out.text).toContain('↻ package.json changed: rebuild and redeploy (package.json is a dependency change)');
    expect(loop.out.text).toMatch(/- Synth manifests \(dev profile: libs\/k8s-manifests\/src\/cmd\/synth\.ts\) \.+ +skipped +no manifest source changed/);
    expect(loop.dev.synths).toBe(1);
    expect(loop.dev.builds).toBe(3);
    const [third] = await loop.pods();

    loop.save('apps/api/src/port.ts', 'export const port = 8003;\n');
    await until(() => loop.answered() === 3, 'the live update on the new pod');
    expect(loop.out.text).toContain(`✓ live-updated ${third} (generation 1`);
    expect(await appAnswer(loop.kube.appPort(third as string))).toMatchObject({ port: 8003 });
    expect(loop.dev.builds).toBe(3);
    // The overlay lives in memory: the synthesized manifests a plain deploy applies are byte for byte as before.
    expect(synthOutput()).toBe(manifestsBefore);
    expect(synthOutput()).not.toMatch(/dev-loop|supervisor|8099/);
  });

  it('a bundle the app does not start on is refused: the pod keeps serving the previous code, and the fix goes live', async () => {
    const loop = await startDev();
    const [pod] = await loop.pods();
    loop.save('apps/api/src/port.ts', "export const port = 8001;\nthrow new Error('port is not configured');\n");
    await until(() => loop.out.text.includes('✗ not updated'), 'the refused live update');
    expect(loop.out.text).toContain(`✗ not updated: ${pod} did not start on the new bundle: the app did not answer /health/ready`);
    expect(loop.out.text).toContain('port is not configured');
    expect(loop.out.text).toContain(`still serving: ${pod} (the last good release)`);
    expect((await appAnswer(loop.kube.appPort(pod as string)))?.port).toBe(8000);
    loop.save('apps/api/src/port.ts', 'export const port = 8002;\n');
    await until(() => loop.answered() === 1, 'the fixed live update');
    expect(await appAnswer(loop.kube.appPort(pod as string))).toMatchObject({ port: 8002 });
  });

  it('falls back to the full path, saying why, when the pod has no supervisor (it runs a plain deploy)', async () => {
    const loop = await startDev();
    // A plain deploy since: the Deployment no longer starts the supervisor.
    const deployment = (await loop.kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' })) as KubeObject;
    const spec = deployment.spec as { template: { spec: { containers: { args?: string[] }[] } } };
    delete spec.template.spec.containers[0]!.args;
    loop.kube.put(deployment);
    loop.save('apps/api/src/port.ts', 'export const port = 8001;\n');
    await until(() => loop.answered() === 1, 'the fallback rebuild');
    expect(loop.out.text).toMatch(/↪ full loop instead: rag-api-\S+ has no live-update supervisor answering/);
    expect(loop.dev.builds).toBe(2);
  });
});
