import { createServer, type Server } from 'node:http';
import type { ExecResult, Forwarded, KubeApi } from '../kube.js';
import type { RunOptions, RunResult, Runner } from '../runner.js';
import type { KubeObject, ObjectRef, Output } from '../types.js';

/** Test double of the process boundary: tools on PATH and canned command results, every call recorded. */
export class FakeRunner implements Runner {
  readonly calls: string[] = [];
  constructor(
    private readonly onPath: readonly string[],
    private readonly handler: (command: string, args: readonly string[]) => Partial<RunResult> | undefined = () => undefined,
  ) {}
  which(command: string): string | undefined {
    return this.onPath.includes(command) ? `/usr/local/bin/${command}` : undefined;
  }
  async run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    this.calls.push([command.split('/').pop(), ...args].join(' '));
    const result = { code: 0, stdout: '', stderr: '', timedOut: false, ...this.handler(command, args) };
    for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) if (line.trim()) options?.onLine?.(line);
    return result;
  }
}

export class BufferOutput implements Output {
  readonly lines: string[] = [];
  line(text: string): void {
    this.lines.push(text);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

function withoutServerFields(object: KubeObject): string {
  const { metadata, status: _status, ...rest } = object;
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = metadata;
  return JSON.stringify({ ...rest, metadata: meta });
}

/**
 * An in-memory API server: server-side apply bumps resourceVersion only when
 * the object changed and records the field manager; list filters by label.
 */
export class FakeKube implements KubeApi {
  readonly objects = new Map<string, KubeObject>();
  readonly deleted: string[] = [];
  logText = '';
  env: Record<string, string> = {};
  /** The program that prints the env in the fake container. */
  envCommand = '/nodejs/bin/node';
  private version = 1;
  private servers: Server[] = [];
  /** Bodies the fake pod answers, by path. */
  endpoints: Record<string, unknown> = {};

  put(object: KubeObject, manager?: string): void {
    this.objects.set(key(object.kind, object.metadata.namespace, object.metadata.name), {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.version++), ...(manager ? { managedFields: [{ manager, operation: 'Apply' }] } : {}) },
    });
  }

  async get(ref: ObjectRef) {
    return structuredClone(this.objects.get(key(ref.kind, ref.namespace, ref.name)));
  }

  async apply(object: KubeObject, fieldManager: string) {
    const k = key(object.kind, object.metadata.namespace, object.metadata.name);
    const before = this.objects.get(k);
    if (!before || withoutServerFields(before) !== withoutServerFields(object)) {
      this.put({ ...object, ...(before?.status ? { status: before.status } : {}) }, fieldManager);
    }
    return structuredClone(this.objects.get(k) as KubeObject);
  }

  async list(_apiVersion: string, kind: string, namespace: string, labelSelector?: string) {
    const [lk, lv] = labelSelector?.split('=') ?? [];
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && o.metadata.namespace === namespace && (!lk || o.metadata.labels?.[lk] === lv),
    );
  }

  async delete(ref: ObjectRef) {
    this.deleted.push(`${ref.kind}/${ref.name}`);
    return this.objects.delete(key(ref.kind, ref.namespace, ref.name));
  }

  async logs() {
    return this.logText;
  }

  async exec(_ns: string, _pod: string, _container: string, command: readonly string[]): Promise<ExecResult> {
    // Like the distroless image: no `env`, node at /nodejs/bin/node.
    if (command[0] !== this.envCommand) return { stdout: '', stderr: `exec: "${command[0]}": executable file not found in $PATH`, ok: false };
    return { stdout: Object.entries(this.env).map(([k, v]) => `${k}=${v}`).join('\n'), stderr: '', ok: true };
  }

  /** A real local HTTP server standing in for the pod's port. */
  async portForward(): Promise<Forwarded> {
    const server = createServer((req, res) => {
      const body = this.endpoints[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    });
    this.servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    return {
      localPort: typeof address === 'object' && address ? address.port : 0,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }
}

/** A Running, Ready (or otherwise) pod of the app. */
export function pod(name: string, status: Record<string, unknown> = {}, namespace = 'dev'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'rag-api' } },
    spec: { containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 8000 }] }] },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'api', ready: true, restartCount: 0, state: { running: { startedAt: '2025-01-01T00:00:00Z' } } }],
      ...status,
    },
  };
}

/** The spec's Part 3 bodies. */
export const SPEC_BODIES = {
  '/health': { status: 'healthy', timestamp: '2025-11-29T05:00:00.000Z' },
  '/health/ready': { status: 'ready', checks: { api: 'ok' } },
  '/health/live': { status: 'alive' },
  '/': { message: 'Welcome to LLMOps RAG Pipeline', version: '0.1.0', docs: '/docs' },
};
