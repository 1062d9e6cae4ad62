import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Writable } from 'node:stream';
import {
  ApisApi,
  CoreV1Api,
  CustomObjectsApi,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  Log,
  PatchStrategy,
  PortForward,
  type KubernetesObject,
  type V1APIResourceList,
} from '@kubernetes/client-node';
import { apiMessage } from './apply.js';
import type { ContextInfo } from './cluster-kinds.js';
import { KubeApiError, type ExecResult, type Forwarded, type KubeApi, type LogFollow } from './kube.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { ObjectRef } from './types.js';

/**
 * The kubeconfig the way kubectl reads it ($KUBECONFIG, else ~/.kube/config).
 * With no file at all it stays empty (no current context) instead of the
 * client's made-up `loaded-context` on localhost:8080.
 */
export function loadKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const kc = new KubeConfig();
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  if (files.some((file) => existsSync(file))) kc.loadFromDefault();
  return kc;
}

export function currentContext(kc: KubeConfig): ContextInfo | undefined {
  const name = kc.getCurrentContext() as string | undefined;
  const context = name ? kc.getContextObject(name) : null;
  if (!name || !context) return undefined;
  const cluster = kc.getCluster(context.cluster);
  return { name, cluster: context.cluster, server: cluster?.server ?? '', ...(context.namespace ? { namespace: context.namespace } : {}) };
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** Plain JSON (the client returns model classes with Date fields). */
function plain<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function header(ref: ObjectRef) {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
}

/** A client-node ApiException (`HTTP-Code: 400\nMessage: …\nBody: {…}\nHeaders: {…}`) as the API server's own words: its Status reason and message. */
export function toKubeApiError(error: unknown): KubeApiError {
  if (error instanceof KubeApiError) return error;
  const body = (error as { body?: unknown }).body;
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      status = undefined; // not a Status object
    }
  }
  const reason = status && typeof status === 'object' ? (status as { reason?: unknown }).reason : undefined;
  return new KubeApiError(statusCode(error) ?? 0, apiMessage(error), typeof reason === 'string' ? reason : undefined, { cause: error });
}

/** Every error of a call leaves the client as a KubeApiError, so no output anywhere can show the client's HTTP dump. */
async function edge<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toKubeApiError(error);
  }
}

/** API groups whose namespaced "objects" are views of others, not things anyone created. */
const VIEW_GROUPS = new Set(['metrics.k8s.io', 'events.k8s.io']);

function listableNamespaced(list: V1APIResourceList): string[] {
  return list.resources.filter((r) => r.namespaced && r.verbs.includes('list') && !r.name.includes('/')).map((r) => r.kind);
}

/** KubeApi over @kubernetes/client-node for the given kubeconfig (its current context). */
export function clientKubeApi(kc: KubeConfig): KubeApi {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  return {
    get: (ref) =>
      edge(async () => {
        try {
          return plain<KubeObject>(await objects.read(header(ref)));
        } catch (error) {
          if (statusCode(error) === 404) return undefined;
          throw error;
        }
      }),
    apply: (object, fieldManager, options) =>
      edge(async () => {
        const { metadata, ...rest } = object;
        const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
        const body = { ...rest, metadata: meta } as KubernetesObject;
        return plain<KubeObject>(await objects.patch(body, undefined, options?.dryRun ? 'All' : undefined, fieldManager, true, PatchStrategy.ServerSideApply));
      }),
    list: (apiVersion, kind, namespace, labelSelector) =>
      edge(async () => {
        const list = await objects.list(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
        return plain<KubeObject[]>(list.items).map((item) => ({ ...item, apiVersion, kind }));
      }),
    listNamespace: (namespace) => edge(() => listEverything(kc, namespace)),
    create: (object, fieldManager) => edge(async () => plain<KubeObject>(await objects.create(object as KubernetesObject, undefined, undefined, fieldManager))),
    replace: (object, fieldManager) =>
      edge(async () => plain<KubeObject>(await objects.replace(object as KubernetesObject, undefined, undefined, fieldManager))),
    delete: (ref, options) =>
      edge(async () => {
        const preconditions = options?.resourceVersion ? { preconditions: { resourceVersion: options.resourceVersion } } : undefined;
        try {
          await objects.delete(header(ref), undefined, undefined, undefined, undefined, 'Foreground', preconditions);
          return true;
        } catch (error) {
          if (statusCode(error) === 404) return false;
          throw error;
        }
      }),
    logs: (namespace, name, container, options) =>
      edge(() => core.readNamespacedPodLog({ namespace, name, container, tailLines: options.tailLines, ...(options.previous ? { previous: true } : {}) })),
    exec: (namespace, pod, container, command) => execCollect(kc, namespace, pod, container, command),
    portForward: (namespace, pod, port) => forwardPort(kc, namespace, pod, port),
    followLogs: (namespace, pod, container, onLine, options) => followLogs(kc, namespace, pod, container, onLine, options?.tailLines ?? 0),
  };
}

/** Everything in a namespace, through discovery (KubeApi.listNamespace). */
async function listEverything(kc: KubeConfig, namespace: string): Promise<{ objects: KubeObject[]; unreadable: string[] }> {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const core = kc.makeApiClient(CoreV1Api);
  const kinds: { apiVersion: string; kind: string }[] = [];
  const unreadable: string[] = [];
  try {
    kinds.push(...listableNamespaced(await core.getAPIResources()).map((kind) => ({ apiVersion: 'v1', kind })));
  } catch (error) {
    unreadable.push(`v1 (${apiMessage(error)})`);
  }
  const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
  const custom = kc.makeApiClient(CustomObjectsApi);
  for (const group of groups.groups) {
    if (VIEW_GROUPS.has(group.name)) continue;
    const groupVersion = group.preferredVersion?.groupVersion ?? group.versions[0]?.groupVersion;
    if (!groupVersion) continue;
    try {
      const resources = await custom.getAPIResources({ group: group.name, version: groupVersion.split('/')[1] ?? '' });
      kinds.push(...listableNamespaced(resources).map((kind) => ({ apiVersion: groupVersion, kind })));
    } catch (error) {
      unreadable.push(`${groupVersion} (${apiMessage(error)})`);
    }
  }
  const found: KubeObject[] = [];
  for (const { apiVersion, kind } of kinds) {
    try {
      const list = await objects.list(apiVersion, kind, namespace);
      found.push(...plain<KubeObject[]>(list.items).map((item) => ({ ...item, apiVersion, kind })));
    } catch (error) {
      if (statusCode(error) === 404 || statusCode(error) === 405) continue;
      unreadable.push(`${kind}.${apiVersion} (${apiMessage(error)})`);
    }
  }
  return { objects: found, unreadable };
}

/** `kubectl logs -f`: the client's Log stream, split into lines. */
async function followLogs(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  container: string,
  onLine: (line: string) => void,
  tailLines: number,
): Promise<LogFollow> {
  let partial = '';
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const stream = new Writable({
    write(chunk: Buffer, _encoding, next) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      next();
    },
    final(next) {
      if (partial) onLine(partial);
      finish();
      next();
    },
  });
  stream.on('error', () => finish());
  let controller: AbortController;
  try {
    controller = await new Log(kc).log(namespace, pod, container, stream, { follow: true, tailLines });
  } catch (error) {
    throw toKubeApiError(error);
  }
  controller.signal.addEventListener('abort', () => finish());
  return { stop: () => controller.abort(), done };
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function execCollect(kc: KubeConfig, namespace: string, pod: string, container: string, command: readonly string[]): Promise<ExecResult> {
  const out = collector();
  const err = collector();
  return new Promise<ExecResult>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec ${command.join(' ')} in ${pod} did not finish within 20s`)), 20_000);
    new Exec(kc)
      .exec(namespace, pod, container, [...command], out.stream, err.stream, null, false, (s) => {
        clearTimeout(timer);
        // Give the socket a moment to flush the last stdout frames.
        setTimeout(() => resolve({ stdout: out.text(), stderr: err.text(), ok: s.status === 'Success' }), 50);
      })
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(toKubeApiError(error));
      });
  });
}

/** `kubectl port-forward pod/<pod> <ephemeral>:<port>`: a local TCP server, one websocket per connection. */
async function forwardPort(kc: KubeConfig, namespace: string, pod: string, port: number): Promise<Forwarded> {
  const forward = new PortForward(kc, true);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    forward.portForward(namespace, pod, [port], socket, null, socket).then(
      (ws) => {
        socket.on('close', () => {
          const live = typeof ws === 'function' ? ws() : ws;
          live?.close();
        });
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : 0;
  return {
    localPort,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
