import type { KubeObject, ObjectRef } from './types.js';

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
  /** Server-side apply as `fieldManager`, taking conflicting fields (force). */
  apply(object: KubeObject, fieldManager: string): Promise<KubeObject>;
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]>;
  /** False when the object was already gone. */
  delete(ref: ObjectRef): Promise<boolean>;
  logs(namespace: string, pod: string, container: string, options: { tailLines: number; previous?: boolean }): Promise<string>;
  exec(namespace: string, pod: string, container: string, command: readonly string[]): Promise<ExecResult>;
  portForward(namespace: string, pod: string, port: number): Promise<Forwarded>;
}

/** Just the parts of a Pod the deploy reads. */
export interface PodView {
  metadata: { name: string; creationTimestamp?: string | Date; deletionTimestamp?: string | Date; labels?: Record<string, string> };
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
