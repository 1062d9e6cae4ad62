import type { KubeObject } from '@llmops-rag/contract';
import type { ObjectRef } from './types.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status reported by the API (`Success` or `Failure`). */
  ok: boolean;
}

export interface Forwarded {
  /** Port on 127.0.0.1 that reaches the pod's port. */
  localPort: number;
  close(): Promise<void>;
}

/**
 * The Kubernetes edge of the deploy: the few calls it makes, so tests can use
 * an in-memory fake and `kube-client.ts` maps them onto @kubernetes/client-node.
 */
export interface KubeApi {
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /**
   * Server-side apply as `fieldManager`, taking conflicting fields (force). With `dryRun` the API server
   * runs the whole apply (defaults, admission, field ownership) and returns the result without storing it.
   */
  apply(object: KubeObject, fieldManager: string, options?: ApplyOptions): Promise<KubeObject>;
  /** Objects of one kind in `namespace` (undefined: a cluster-scoped kind such as Node). */
  list(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<KubeObject[]>;
  /**
   * Everything in a namespace: every namespaced kind the API server lists in
   * discovery (built-in and custom). `unreadable` names the API groups whose
   * discovery or list failed, so a caller never mistakes "could not look" for "empty".
   */
  listNamespace(namespace: string): Promise<{ objects: KubeObject[]; unreadable: string[] }>;
  /**
   * Creates the object as `fieldManager` (POST). Rejects with a KubeApiError 409 (`AlreadyExists`) when an object
   * of that name exists: how a name is claimed by exactly one writer (a release revision, the lock Lease).
   */
  create(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  /**
   * Replaces the object (PUT, an update). With `metadata.resourceVersion` set, the API server refuses with a
   * KubeApiError 409 (`Conflict`) when the live object has moved on since it was read: optimistic concurrency.
   * 404 when it does not exist.
   */
  replace(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  /**
   * Deletes in the foreground (the object stays, with a deletionTimestamp, until its dependents are gone).
   * False when the object was already gone. With `resourceVersion`, only that version is deleted (409 otherwise).
   */
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<boolean>;
  /** Rejects with a KubeApiError carrying the API server's own message (e.g. why a container has no logs). */
  logs(namespace: string, pod: string, container: string, options: { tailLines: number; previous?: boolean }): Promise<string>;
  exec(namespace: string, pod: string, container: string, command: readonly string[]): Promise<ExecResult>;
  portForward(namespace: string, pod: string, port: number): Promise<Forwarded>;
  /**
   * `kubectl logs -f`: calls `onLine` with each line the container writes from now on (after the last
   * `tailLines`). `done` settles when the stream ends (the pod is gone or `stop()` was called).
   */
  followLogs(namespace: string, pod: string, container: string, onLine: (line: string) => void, options?: { tailLines?: number }): Promise<LogFollow>;
}

export interface ApplyOptions {
  dryRun?: boolean;
}

export interface DeleteOptions {
  /** Precondition: delete only while the live object has this resourceVersion. */
  resourceVersion?: string;
}

export interface LogFollow {
  stop(): void;
  done: Promise<void>;
}

/** An API error as the API server states it: the HTTP status and the Status object's message. */
export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KubeApiError';
  }
}

/** Just the parts of a Pod the deploy reads. */
export interface PodView {
  metadata: {
    name: string;
    creationTimestamp?: string | Date;
    deletionTimestamp?: string | Date;
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid?: string }[];
  };
  spec?: { containers?: { name: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatusView[];
  };
}

export interface ContainerStatusView {
  name: string;
  ready: boolean;
  restartCount: number;
  image?: string;
  imageID?: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string | Date };
    terminated?: { reason?: string; exitCode?: number; message?: string };
  };
  lastState?: { terminated?: { reason?: string; exitCode?: number; message?: string } };
}

export interface EventView {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject?: { kind?: string; name?: string };
  lastTimestamp?: string | Date;
  eventTime?: string | Date;
  metadata?: { creationTimestamp?: string | Date };
}

export function asPod(object: KubeObject): PodView {
  return object as unknown as PodView;
}

export function asEvent(object: KubeObject): EventView {
  return object as unknown as EventView;
}
