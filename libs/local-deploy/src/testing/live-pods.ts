import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleApp, disposeBundlers } from '../dev/bundle-app.js';
import { SYNC_PORT } from '../dev/live/supervisor-script.js';
import type { BundleEntry } from '../dev/watch-set.js';
import type { Forwarded, KubeApi } from '../kube.js';
import type { FakeKube } from './fakes.js';

/** `n` distinct free ports: each is held until all are picked (two picks in a row could otherwise get the same one). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

/** A local TCP port that pipes each connection to 127.0.0.1:`target` (what the API server's port-forward gives). */
async function pipeTo(target: number): Promise<Forwarded> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    const upstream = connect(target, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    localPort: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

interface LivePod {
  supervisor: ChildProcess;
  appPort: number;
  syncPort: number;
  output: string[];
}

/**
 * Pods of the dev loop that really run the live-update supervisor: a port-forward to port 8099 of a pod whose
 * Deployment template starts the supervisor (the dev-loop overlay's args) reaches a real supervisor process for that
 * pod, started at its first forward with the app's bundle built when the pod was created as "the image", and the
 * pod's own PORT. A pod
 * without it has nothing listening there: the forward opens and its connections are refused, as a real pod's would be.
 * Other ports go to the fake pods of withPodPortForward. `appPort(pod)` is where that pod's app answers.
 */
export function withLivePods<K extends FakeKube>(kube: K, root: string, entry: BundleEntry): K & { appPort(pod: string): number | undefined; stopAll(): void } {
  const pods = new Map<string, LivePod>();
  const scratch = mkdtempSync(join(tmpdir(), 'dev-live-pods-'));
  const api: KubeApi = kube;
  const portForward = api.portForward.bind(kube);
  const runsSupervisor = async (namespace: string) => {
    const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace });
    const args = (deployment?.spec as { template?: { spec?: { containers?: { args?: string[] }[] } } } | undefined)?.template?.spec?.containers?.[0]?.args;
    return (args ?? []).some((a) => a.endsWith('supervisor.js'));
  };
  // The image a pod runs is the code as it was at the apply that made its Deployment's template (the controller
  // creates the pod later, on its clock), not at the pod's first forward.
  const imageOf = new Map<string, string>();
  let latest: string | undefined;
  let applies = 0;
  const apply = kube.apply.bind(kube);
  kube.apply = async (object, manager, options) => {
    if (object.kind === 'Deployment' && !options?.dryRun) {
      const image = join(scratch, `image-${++applies}`);
      await bundleApp(root, entry, image);
      latest = image;
    }
    return apply(object, manager, options);
  };
  const put = kube.put.bind(kube);
  kube.put = (object, manager) => {
    if (object.kind === 'Pod' && latest && !imageOf.has(object.metadata.name)) imageOf.set(object.metadata.name, latest);
    put(object, manager);
  };
  const start = async (pod: string, script: string): Promise<LivePod> => {
    const dir = join(scratch, pod);
    const image = imageOf.get(pod) as string;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'supervisor.js'), script);
    const [appPort, syncPort] = (await freePorts(2)) as [number, number];
    const live: LivePod = { appPort, syncPort, output: [], supervisor: undefined as unknown as ChildProcess };
    live.supervisor = spawn(
      process.execPath,
      [join(dir, 'supervisor.js'), `--image-app=${image}`, `--live-dir=${join(dir, 'live')}`, `--sync-port=${live.syncPort}`],
      {
        env: { PATH: process.env.PATH, PORT: String(live.appPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    live.supervisor.stderr?.on('data', (c: Buffer) => live.output.push(...c.toString().split('\n').filter(Boolean)));
    // Until the supervisor listens, as a container that is starting.
    for (let i = 0; i < 200; i++) {
      const up = await new Promise<boolean>((r) =>
        connect(live.syncPort, '127.0.0.1')
          .on('connect', function (this: Socket) {
            this.destroy();
            r(true);
          })
          .on('error', () => r(false)),
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return live;
  };
  const live = Object.assign(kube, {
    appPort: (pod: string) => pods.get(pod)?.appPort,
    stopAll: () => {
      void disposeBundlers();
      for (const p of pods.values()) p.supervisor.kill('SIGKILL');
      rmSync(scratch, { recursive: true, force: true });
    },
  });
  api.portForward = async (namespace, pod, port) => {
    if (port !== SYNC_PORT) return portForward(namespace, pod, port);
    if (!(await kube.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace }))) return portForward(namespace, pod, port);
    let running = pods.get(pod);
    if (!running && (await runsSupervisor(namespace))) {
      const configMap = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'rag-api-dev-loop', namespace });
      running = await start(pod, String((configMap?.data as Record<string, string> | undefined)?.['supervisor.js'] ?? ''));
      pods.set(pod, running);
    }
    return pipeTo(running ? running.syncPort : ((await freePorts(1))[0] as number));
  };
  return live;
}
