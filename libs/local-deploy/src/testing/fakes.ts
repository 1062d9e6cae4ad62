import { createServer, type Server } from 'node:http';
import { KubeApiError, type ApplyOptions, type DeleteOptions, type ExecResult, type Forwarded, type KubeApi, type LogFollow } from '../kube.js';
import type { RunOptions, RunResult, Runner } from '@llmops-rag/platform';
import type { KubeObject } from '@llmops-rag/contract';
import type { ObjectRef, Output } from '../types.js';
import { FakeClock } from './fake-clock.js';

/** Test double of the process boundary: tools on PATH and canned command results, every call recorded. */
export class FakeRunner implements Runner {
  readonly calls: string[] = [];
  constructor(
    private readonly onPath: readonly string[],
    private readonly handler: (command: string, args: readonly string[], options?: RunOptions) => Partial<RunResult> | undefined = () => undefined,
  ) {}
  which(command: string): string | undefined {
    return this.onPath.includes(command) ? `/usr/local/bin/${command}` : undefined;
  }
  async run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    this.calls.push([command.split('/').pop(), ...args].join(' '));
    const result = { code: 0, stdout: '', stderr: '', timedOut: false, ...this.handler(command, args, options) };
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

/** The request verbs a `hang` can hold. */
export type FakeVerb = 'get' | 'list' | 'apply' | 'create' | 'update' | 'delete';

/** Where the fake keeps an object: `Kind/namespace/name`. */
export const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;

type Json = Record<string, unknown>;
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
/** Field paths joined with NUL: annotation keys contain dots and slashes. */
const SEP = '\u0000';
/** Set by the API server, never part of anyone's applied configuration. */
const SERVER_METADATA = ['resourceVersion', 'managedFields', 'generation', 'uid', 'creationTimestamp', 'deletionTimestamp'];

/** The object without what the server maintains (status, resourceVersion, managedFields…): what a manager can own. */
function content(object: KubeObject): Json {
  const { status: _status, metadata, ...rest } = object;
  const meta: Json = { ...metadata };
  for (const field of SERVER_METADATA) delete meta[field];
  return structuredClone({ ...rest, metadata: meta });
}

/** Leaf field paths of an applied configuration; lists are atomic (replaced whole, as SSA does for atomic lists). */
function fieldPaths(value: Json, prefix: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = [...prefix, k];
    if (path.length === 1 && (k === 'apiVersion' || k === 'kind')) continue;
    if (path.length === 2 && path[0] === 'metadata' && (k === 'name' || k === 'namespace')) continue;
    if (isMap(v) && Object.keys(v).length > 0) out.push(...fieldPaths(v, path));
    else out.push(path.join(SEP));
  }
  return out;
}

function removeField(target: Json, path: string): void {
  const parts = path.split(SEP);
  const parents: Json[] = [];
  let node: Json = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isMap(next)) return;
    parents.push(node);
    node = next;
  }
  delete node[parts[parts.length - 1] as string];
  // Drop maps the removal left empty, like the API server's field pruning.
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i] as Json;
    const child = parent[parts[i] as string];
    if (isMap(child) && Object.keys(child).length === 0) delete parent[parts[i] as string];
  }
}

function mergeInto(target: Json, applied: Json): void {
  for (const [k, v] of Object.entries(applied)) {
    const current = target[k];
    if (isMap(current) && isMap(v)) mergeInto(current, v);
    else target[k] = structuredClone(v);
  }
}

/** What `kubectl logs` of a container that never started gets from the API server (HTTP 400). */
function notStarted(pod: KubeObject, container: string): string | undefined {
  const statuses = (pod.status as { containerStatuses?: { name: string; state?: { waiting?: { reason?: string } } }[] } | undefined)?.containerStatuses ?? [];
  const waiting = statuses.find((c) => c.name === container)?.state?.waiting;
  return waiting ? `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}` : undefined;
}

/**
 * An in-memory API server that behaves like a real one where the deploy
 * depends on it:
 * - server-side apply with field ownership: a manager's apply merges into the
 *   live object, takes the fields it sets (force), and removes fields it owned
 *   before but no longer sets, unless another manager owns them too;
 *   resourceVersion moves only when the object changed;
 * - a new Namespace gets what the controllers add (ServiceAccount `default`,
 *   ConfigMap `kube-root-ca.crt`); deleting a Namespace deletes everything in it;
 * - create (POST) refuses an existing name with 409 AlreadyExists, and a namespaced object in a namespace
 *   that does not exist with 404; replace (PUT) with a resourceVersion refuses a stale one with 409 Conflict,
 *   as does a delete with that precondition (optimistic concurrency, how Leases and release records are written);
 * - deleting an owner leaves its dependents (ownerReferences) terminating, as
 *   the garbage collector does before they are gone, and the owner itself stays listed with a
 *   deletionTimestamp until they are (the client deletes with foreground propagation): `collectGarbage()`
 *   is the garbage collector finishing;
 * - with `legacyServiceAccountTokens` (clusters before 1.24), the token controller gives every
 *   ServiceAccount a `<name>-token-<suffix>` Secret and deletes it with the ServiceAccount;
 * - logs of a container that never started fail with the API's 400 message;
 * - requests can hang (`hang`), as they do when the API server is stopped or unreachable, until resumed.
 * Its `clock` is virtual time: the controllers (src/testing/deployment-controller.ts) work on it, and the waits
 * of the code under test sleep on it (pass it as the deps' `clock`).
 */
export class FakeKube implements KubeApi {
  readonly objects = new Map<string, KubeObject>();
  readonly clock = new FakeClock();
  readonly deleted: string[] = [];
  /** `Kind/name` of every dry-run apply, in order. */
  readonly dryRuns: string[] = [];
  logText = '';
  env: Record<string, string> = {};
  /** The program that prints the env in the fake container. */
  envCommand = '/nodejs/bin/node';
  /** Groups whose discovery "fails" in listNamespace (e.g. an aggregated API that is down). */
  unreadableGroups: string[] = [];
  /** The token controller of clusters before 1.24: a token Secret for every new ServiceAccount. */
  legacyServiceAccountTokens = false;
  private version = 1;
  private uids = 1;
  private readonly owners = new Map<string, Map<string, Set<string>>>();
  private servers: Server[] = [];
  /** Bodies the fake pod answers, by path. */
  endpoints: Record<string, unknown> = {};
  /**
   * metrics-server's API (`metrics.k8s.io/v1beta1`, what `kubectl top` reads). `absent`, as on a cluster without
   * metrics-server (minikube without the addon, kind, Docker Desktop): the group's discovery is a 404, so every list
   * of it is, in the words kube-client gets from a real API server. `unavailable`: its APIService is registered but
   * metrics-server does not answer (starting, or failing to scrape), a 503. `served`: PodMetrics of the Running pods
   * that have had their first sample.
   */
  metricsApi: 'absent' | 'unavailable' | 'served' = 'absent';
  /** What each container of a sampled pod uses, in metrics-server's units (CPU in nanocores, memory in Ki). */
  podUsage: { cpu: string; memory: string } = { cpu: '2315543n', memory: '49152Ki' };
  /**
   * PodMetrics lists that see a pod before its first sample is in them, as metrics-server reports a new pod only
   * after it has scraped it twice (15-60 s apart). 0: sampled at once.
   */
  metricsFirstSampleAfterLists = 0;
  private readonly metricsListsSeen = new Map<string, number>();

  private hangs: { verbs?: readonly FakeVerb[]; kinds?: readonly string[]; released: Promise<void> }[] = [];

  /**
   * From now on, requests that match (every request by default; or only these verbs / kinds) get no answer until
   * `resume()` is called or the clock reaches `until`; then they are served as they arrive, with what is stored then.
   */
  hang(match: { verbs?: readonly FakeVerb[]; kinds?: readonly string[] } = {}, until?: number): () => void {
    let resume: () => void = () => undefined;
    const released = new Promise<void>((r) => (resume = r));
    const hang = { ...match, released };
    this.hangs.push(hang);
    const release = () => {
      this.hangs = this.hangs.filter((h) => h !== hang);
      resume();
    };
    if (until !== undefined) this.clock.at(until, release);
    return release;
  }

  /** Where every request enters: held while a matching `hang` lasts. */
  private async gate(verb: FakeVerb, kind?: string): Promise<void> {
    for (;;) {
      const hang = this.hangs.find((h) => (!h.verbs || h.verbs.includes(verb)) && (!h.kinds || (kind !== undefined && h.kinds.includes(kind))));
      if (!hang) return;
      await hang.released;
    }
  }

  /**
   * Stores an object as a controller or `kubectl create` would (an update, not an
   * apply): `manager` then owns all of its fields. Status is kept as given.
   */
  put(object: KubeObject, manager?: string): void {
    const k = key(object.kind, object.metadata.namespace, object.metadata.name);
    const before = this.objects.get(k);
    if (manager) this.owners.set(k, new Map([[manager, new Set(fieldPaths(content(object)))]]));
    else if (!this.owners.has(k)) this.owners.set(k, new Map());
    this.store(k, structuredClone(object), before);
  }

  private store(k: string, object: KubeObject, before: KubeObject | undefined): void {
    const created = !before;
    const uid = before?.metadata.uid ?? object.metadata.uid ?? `uid-${this.uids++}`;
    const generation = (before?.metadata.generation as number | undefined) ?? 1;
    const specChanged = before !== undefined && JSON.stringify(before.spec) !== JSON.stringify(object.spec);
    // Nothing written to an object being deleted brings it back.
    const deletionTimestamp = before?.metadata.deletionTimestamp ?? object.metadata.deletionTimestamp;
    const managedFields = [...(this.owners.get(k) ?? new Map<string, Set<string>>()).entries()]
      .filter(([, paths]) => paths.size > 0)
      .map(([manager]) => ({ manager, operation: 'Apply', fieldsType: 'FieldsV1' }));
    this.objects.set(k, {
      ...object,
      metadata: {
        ...object.metadata,
        uid,
        generation: (object.metadata.generation as number | undefined) ?? (specChanged ? generation + 1 : generation),
        resourceVersion: String(this.version++),
        managedFields,
        ...(deletionTimestamp ? { deletionTimestamp } : {}),
      },
    });
    if (created && object.kind === 'Namespace') this.namespaceControllers(object.metadata.name);
    if (created && object.kind === 'ServiceAccount' && this.legacyServiceAccountTokens) this.tokenController(object);
  }

  /** What the token controller of a cluster before 1.24 adds for every ServiceAccount. */
  private tokenController(account: KubeObject): void {
    const { name, namespace } = account.metadata;
    this.put(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: `${name}-token-${(this.uids * 7919).toString(36).slice(-5).padStart(5, 'x')}`,
          namespace,
          annotations: {
            'kubernetes.io/service-account.name': name,
            'kubernetes.io/service-account.uid': String(this.objects.get(key('ServiceAccount', namespace, name))?.metadata.uid),
          },
        },
        type: 'kubernetes.io/service-account-token',
        data: { token: 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjk=' },
      } as KubeObject,
      'kube-controller-manager',
    );
  }

  /** What kube-controller-manager puts into every new namespace. */
  private namespaceControllers(namespace: string): void {
    this.put({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }, 'kube-controller-manager');
    this.put(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } },
      'kube-controller-manager',
    );
  }

  async get(ref: ObjectRef) {
    await this.gate('get', ref.kind);
    return structuredClone(this.objects.get(key(ref.kind, ref.namespace, ref.name)));
  }

  async apply(object: KubeObject, fieldManager: string, options?: ApplyOptions): Promise<KubeObject> {
    await this.gate('apply', object.kind);
    const k = key(object.kind, object.metadata.namespace, object.metadata.name);
    const before = this.objects.get(k);
    const applied = content(object);
    const paths = new Set(fieldPaths(applied));
    const live = this.owners.get(k) ?? new Map<string, Set<string>>();
    // A dry run works on a copy of the ownership, so nothing about the stored object changes.
    const owners = options?.dryRun ? new Map([...live].map(([m, p]) => [m, new Set(p)])) : live;
    const merged: Json = before ? content(before) : {};
    for (const path of owners.get(fieldManager) ?? []) {
      const sharedWithOthers = [...owners].some(([m, p]) => m !== fieldManager && p.has(path));
      if (!paths.has(path) && !sharedWithOthers) removeField(merged, path);
    }
    mergeInto(merged, applied);
    if (options?.dryRun) {
      this.dryRuns.push(`${object.kind}/${object.metadata.name}`);
      const result = merged as KubeObject;
      return structuredClone({
        ...result,
        metadata: { ...result.metadata, ...(before ? { uid: before.metadata.uid, resourceVersion: before.metadata.resourceVersion } : {}) },
        ...(before?.status ? { status: before.status } : {}),
      });
    }
    const previousOwners = JSON.stringify([...owners].map(([m, p]) => [m, [...p].sort()]));
    for (const [manager, owned] of owners) if (manager !== fieldManager) for (const path of paths) owned.delete(path);
    owners.set(fieldManager, paths);
    this.owners.set(k, owners);
    const ownersChanged = previousOwners !== JSON.stringify([...owners].map(([m, p]) => [m, [...p].sort()]));
    if (!before || ownersChanged || JSON.stringify(content(before)) !== JSON.stringify(merged)) {
      this.store(k, { ...(merged as KubeObject), ...(before?.status ? { status: before.status } : {}) }, before);
    }
    return structuredClone(this.objects.get(k) as KubeObject);
  }

  async create(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    await this.gate('create', object.kind);
    const { kind, metadata } = object;
    const k = key(kind, metadata.namespace, metadata.name);
    if (metadata.namespace && !this.objects.has(key('Namespace', undefined, metadata.namespace))) {
      throw new KubeApiError(404, `namespaces "${metadata.namespace}" not found`, 'NotFound');
    }
    if (this.objects.has(k)) throw new KubeApiError(409, `${resource(object)} "${metadata.name}" already exists`, 'AlreadyExists');
    const { resourceVersion: _rv, ...meta } = metadata;
    this.put({ ...object, metadata: meta }, fieldManager);
    return structuredClone(this.objects.get(k) as KubeObject);
  }

  async replace(object: KubeObject, fieldManager: string): Promise<KubeObject> {
    await this.gate('update', object.kind);
    const { kind, metadata } = object;
    const k = key(kind, metadata.namespace, metadata.name);
    const live = this.objects.get(k);
    if (!live) throw new KubeApiError(404, `${resource(object)} "${metadata.name}" not found`, 'NotFound');
    if (metadata.resourceVersion !== undefined && metadata.resourceVersion !== live.metadata.resourceVersion) throw conflict(object);
    this.put({ ...object, metadata: { ...metadata, uid: live.metadata.uid } }, fieldManager);
    return structuredClone(this.objects.get(k) as KubeObject);
  }

  async list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    await this.gate('list', kind);
    if (apiVersion.startsWith('metrics.k8s.io/')) return this.listMetrics(apiVersion, kind, namespace, labelSelector);
    const [lk, lv] = labelSelector?.split('=') ?? [];
    return [...this.objects.values()]
      .filter((o) => o.kind === kind && o.metadata.namespace === namespace && (!lk || o.metadata.labels?.[lk] === lv))
      .map((o) => structuredClone(o));
  }

  /** `kubectl top pod`'s read: PodMetrics of the Running pods matching the selector that have a sample. */
  private async listMetrics(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]> {
    if (this.metricsApi === 'absent') throw new KubeApiError(404, '404 page not found');
    if (this.metricsApi === 'unavailable') throw new KubeApiError(503, 'the server is currently unable to handle the request', 'ServiceUnavailable');
    if (kind !== 'PodMetrics') throw new Error(`FakeKube serves no ${kind} in ${apiVersion}`);
    const pods = (await this.list('v1', 'Pod', namespace, labelSelector)).filter(
      (p) => (p.status as { phase?: string } | undefined)?.phase === 'Running' && !p.metadata.deletionTimestamp,
    );
    const sampled: KubeObject[] = [];
    for (const p of pods) {
      const k = key('Pod', p.metadata.namespace, p.metadata.name);
      const seen = (this.metricsListsSeen.get(k) ?? 0) + 1;
      this.metricsListsSeen.set(k, seen);
      if (seen <= this.metricsFirstSampleAfterLists) continue;
      const containers = ((p.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => ({
        name: c.name,
        usage: { ...this.podUsage },
      }));
      sampled.push({
        apiVersion,
        kind,
        metadata: { name: p.metadata.name, namespace: p.metadata.namespace, labels: { ...p.metadata.labels }, creationTimestamp: '2026-12-07T10:00:00Z' },
        timestamp: '2026-12-07T09:59:52Z',
        window: '15.04s',
        containers,
      });
    }
    return sampled;
  }

  async listNamespace(namespace: string) {
    await this.gate('list');
    const objects = [...this.objects.values()].filter((o) => o.metadata.namespace === namespace).map((o) => structuredClone(o));
    return { objects, unreadable: this.unreadableGroups.map((g) => `${g} (the server is currently unable to handle the request)`) };
  }

  async delete(ref: ObjectRef, options?: DeleteOptions) {
    await this.gate('delete', ref.kind);
    const k = key(ref.kind, ref.namespace, ref.name);
    const object = this.objects.get(k);
    if (!object) return false;
    if (options?.resourceVersion !== undefined && options.resourceVersion !== object.metadata.resourceVersion) throw conflict(object);
    if (object.metadata.deletionTimestamp) return true; // already being deleted
    this.deleted.push(`${ref.kind}/${ref.name}`);
    if (ref.kind === 'Namespace') {
      this.remove(k);
      for (const [other, o] of [...this.objects]) if (o.metadata.namespace === ref.name) this.objects.delete(other);
      return true;
    }
    const uid = object.metadata.uid as string;
    if (this.dependentsOf(uid).length === 0) this.remove(k);
    else {
      // Foreground propagation: the owner stays, marked, until the garbage collector has removed its dependents.
      object.metadata.deletionTimestamp = '2025-11-29T05:00:00Z';
      object.metadata.finalizers = ['foregroundDeletion'];
      object.metadata.resourceVersion = String(this.version++);
    }
    this.terminateDependents(uid);
    return true;
  }

  private remove(k: string): void {
    const object = this.objects.get(k);
    this.objects.delete(k);
    this.owners.delete(k);
    if (!object) return;
    const { kind } = object;
    const { name, namespace } = object.metadata;
    if (kind === 'Pod' && namespace) this.endLogs(namespace, name);
    // The token controller deletes a deleted ServiceAccount's token Secrets.
    if (kind === 'ServiceAccount') {
      for (const [other, o] of [...this.objects]) {
        const tokenOf = o.metadata.annotations?.['kubernetes.io/service-account.name'];
        if (
          o.kind === 'Secret' &&
          o.metadata.namespace === namespace &&
          tokenOf === name &&
          (o as { type?: string }).type === 'kubernetes.io/service-account-token'
        )
          this.objects.delete(other);
      }
    }
  }

  private dependentsOf(uid: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => ((o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? []).some((r) => r.uid === uid));
  }

  /** The garbage collector's first pass: dependents get a deletionTimestamp and stay listed until `collectGarbage()`. */
  private terminateDependents(uid: string): void {
    for (const o of this.objects.values()) {
      const owned = ((o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? []).some((r) => r.uid === uid);
      if (owned && !o.metadata.deletionTimestamp) {
        o.metadata.deletionTimestamp = '2025-11-29T05:00:00Z';
        this.terminateDependents(o.metadata.uid as string);
      }
    }
  }

  /** Removes what is terminating (the kubelet and garbage collector finished), owners in the foreground with their dependents. */
  collectGarbage(): void {
    for (const [k, o] of [...this.objects]) if (o.metadata.deletionTimestamp) this.remove(k);
  }

  async logs(namespace: string, name: string, container: string, options?: { previous?: boolean }) {
    await this.gate('get', 'Pod');
    const pod = this.objects.get(key('Pod', namespace, name));
    if (!pod) throw new KubeApiError(404, `pods "${name}" not found`, 'NotFound');
    if (options?.previous) {
      const statuses = (pod.status as { containerStatuses?: { name: string; lastState?: { terminated?: unknown } }[] } | undefined)?.containerStatuses ?? [];
      if (!statuses.find((c) => c.name === container)?.lastState?.terminated) {
        throw new KubeApiError(400, `previous terminated container "${container}" in pod "${name}" not found`, 'BadRequest');
      }
      return this.logText;
    }
    const waiting = notStarted(pod, container);
    if (waiting) throw new KubeApiError(400, waiting, 'BadRequest');
    return this.logText;
  }

  async exec(_ns: string, _pod: string, _container: string, command: readonly string[]): Promise<ExecResult> {
    // Like the distroless image: no `env`, node at /nodejs/bin/node.
    if (command[0] !== this.envCommand) return { stdout: '', stderr: `exec: "${command[0]}": executable file not found in $PATH`, ok: false };
    return {
      stdout: Object.entries(this.env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
      stderr: '',
      ok: true,
    };
  }

  private readonly followers = new Map<string, Set<(line: string | undefined) => void>>();

  /** The container of `pod` writes `line` to stdout: every follower of that pod gets it. */
  emitLog(namespace: string, pod: string, line: string): void {
    for (const follower of this.followers.get(key('Pod', namespace, pod)) ?? []) follower(line);
  }

  /** The pod's log stream ends, as it does when the pod is deleted or its container exits. */
  endLogs(namespace: string, pod: string): void {
    for (const follower of this.followers.get(key('Pod', namespace, pod)) ?? []) follower(undefined);
  }

  async followLogs(namespace: string, name: string, container: string, onLine: (line: string) => void, options?: { tailLines?: number }): Promise<LogFollow> {
    const k = key('Pod', namespace, name);
    const pod = this.objects.get(k);
    if (!pod) throw new KubeApiError(404, `pods "${name}" not found`, 'NotFound');
    const waiting = notStarted(pod, container);
    if (waiting) throw new KubeApiError(400, waiting, 'BadRequest');
    const tail = options?.tailLines ?? 0;
    const earlier = this.logText.split('\n').filter(Boolean);
    for (const line of tail > 0 ? earlier.slice(-tail) : []) onLine(line);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const set = this.followers.get(k) ?? new Set();
    const follower = (line: string | undefined) => {
      if (line !== undefined) return onLine(line);
      set.delete(follower);
      finish();
    };
    set.add(follower);
    this.followers.set(k, set);
    return { stop: () => follower(undefined), done };
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

/** `leases.coordination.k8s.io`, `secrets`: how the API server names a resource in its messages. */
function resource(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return `${object.kind.toLowerCase()}s${group}`;
}

/** The API server's answer to a write with a stale resourceVersion. */
function conflict(object: KubeObject): KubeApiError {
  return new KubeApiError(
    409,
    `Operation cannot be fulfilled on ${resource(object)} "${object.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
    'Conflict',
  );
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

/** The app's Deployment, reduced to what the controller reads: one replica, its pod template marked with `version`. */
export function appDeployment(version: string, namespace = 'dev'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'rag-api', namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'rag-api' } },
      template: { metadata: { labels: { app: 'rag-api' }, annotations: { version } }, spec: { containers: [{ name: 'api', image: `app:${version}` }] } },
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

/** The status the kubelet reports for a pod whose image is not on the node and may not be pulled (`imagePullPolicy: Never`). */
export function errImageNeverPullStatus() {
  return {
    phase: 'Pending',
    containerStatuses: [
      {
        name: 'api',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "llmops-rag-api:latest" is not present with pull policy of Never' } },
      },
    ],
  };
}

/** The value of one pod-template annotation of a Deployment (for a PodStatusOf that fails one revision). */
export function templateAnnotation(deployment: KubeObject, annotation: string): string | undefined {
  return (deployment.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations?.[annotation];
}

/** The status the kubelet reports for a pod whose container exits at startup and is restarted with back-off. */
export function crashLoopStatus() {
  return {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'api',
        ready: false,
        restartCount: 3,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
    ],
  };
}
