import { connect, createServer, type Server, type Socket } from 'node:net';
import { UsageError } from '@llmops-rag/platform';
import type { Forwarded, KubeApi } from '../kube.js';
import type { Output } from '../types.js';
import { readyPods, type PodTarget } from './pod-target.js';

export interface PodForwarder {
  readonly port: number;
  /** The pod a still-open connection from the client's local port `clientPort` was sent to. */
  podFor(clientPort: number): string | undefined;
  /** Stops listening, ends every connection and closes the API server port-forward. */
  close(): Promise<void>;
}

interface Route {
  pod: string;
  forwarded: Forwarded;
}

/** What to say when the local port is taken: the flag and the fix. */
export function portInUseMessage(host: string, port: number): string {
  return (
    `--port=${port}: ${host}:${port} is already in use (another port-forward, a dev loop or a local server holds it)\n` +
    `fix: stop what listens there (\`ss -ltnp 'sport = :${port}'\` shows it), or pass --port=<a free port>`
  );
}

async function listen(server: Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new UsageError(portInUseMessage(host, port)));
      else if (error.code === 'EACCES')
        reject(new UsageError(`--port=${port}: not allowed to listen on ${host}:${port}\nfix: pass --port=<a port above 1024>`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * `kubectl port-forward` that survives its pod: one local TCP server; every incoming connection goes to a Ready pod of
 * the target (the newest not terminating; a terminating pod that is still Ready while no other is) through the API server's port-forward, opened per pod and reused while that pod stays the
 * one to use. When the pod is gone or replaced, the next connection re-resolves and forwards to the new one, so a
 * rollout never kills the forward. `target()` is undefined until the first deploy has said where the pods are; `api()`
 * is called only then (the kubeconfig is read after the deploy's preflight, not before).
 */
export async function startForwarder(
  api: () => KubeApi,
  target: () => PodTarget | undefined,
  options: { host?: string; port: number; out: Output },
): Promise<PodForwarder> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const byClientPort = new Map<number, string>();
  let route: Route | undefined;
  let resolving: Promise<Route | undefined> = Promise.resolve(undefined);
  let closed = false;
  let boundPort = options.port;

  const drop = async (stale: Route) => {
    if (route === stale) route = undefined;
    await stale.forwarded.close().catch(() => undefined);
  };
  /** The route for the newest Ready pod: the current one when it still is, else a new API server port-forward. */
  const resolveRoute = (): Promise<Route | undefined> => {
    resolving = resolving
      .catch(() => undefined)
      .then(async () => {
        const where = target();
        if (!where || closed) return undefined;
        const pods = await readyPods(api(), where);
        for (const pod of pods) {
          if (route?.pod === pod.metadata.name) return route;
          try {
            const forwarded = await api().portForward(where.namespace, pod.metadata.name, where.containerPort);
            const previous = route;
            route = { pod: pod.metadata.name, forwarded };
            const draining = pod.metadata.deletionTimestamp ? ' (terminating, still Ready: no other pod is)' : '';
            if (previous) {
              options.out.line(`  ⇄ ${host}:${boundPort} now forwards to ${pod.metadata.name}${draining}`);
              void drop(previous);
            } else {
              options.out.line(`  ⇄ ${host}:${boundPort} → ${pod.metadata.name}:${where.containerPort}${draining}`);
            }
            return route;
          } catch {
            // This pod went away between the list and the forward: try the next one.
          }
        }
        if (route) await drop(route);
        return undefined;
      });
    return resolving.catch(() => undefined);
  };

  const pipeTo = (client: Socket, via: Route): Promise<boolean> =>
    new Promise((resolve) => {
      const upstream = connect(via.forwarded.localPort, '127.0.0.1');
      upstream.once('connect', () => {
        upstream.removeAllListeners('error');
        const remotePort = client.remotePort;
        if (remotePort !== undefined) byClientPort.set(remotePort, via.pod);
        client.once('close', () => {
          if (remotePort !== undefined) byClientPort.delete(remotePort);
          upstream.destroy();
        });
        upstream.once('close', () => client.destroy());
        upstream.on('error', () => client.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        resolve(true);
      });
      upstream.once('error', () => resolve(false));
    });

  const server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      // Twice at most: a route whose forward refuses (its pod just went) is dropped and resolved again.
      for (let attempt = 0; attempt < 2; attempt++) {
        const via = await resolveRoute();
        if (!via || closed) break;
        if (await pipeTo(client, via)) return;
        await drop(via);
      }
      client.destroy();
    })();
  });
  await listen(server, host, options.port);
  const address = server.address();
  if (typeof address === 'object' && address) boundPort = address.port;

  return {
    port: boundPort,
    podFor: (clientPort) => byClientPort.get(clientPort),
    close: async () => {
      closed = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await resolving.catch(() => undefined);
      if (route) await drop(route);
    },
  };
}
