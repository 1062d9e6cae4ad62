import type { KubeObject } from '@llmops-rag/contract';
import type { Runner } from '@llmops-rag/platform';
import type { Clock } from './clock.js';
import type { ContextInfo } from './cluster-kinds.js';
import type { KubeApi } from './kube.js';
import type { LockSettings } from './lock/hold.js';

/** Enough to find one object. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return { apiVersion, kind, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind}/${ref.name}`;
}

/** Where progress and results go (stdout in the CLI, a buffer in tests). */
export interface Output {
  line(text: string): void;
}

export const consoleOutput: Output = { line: (text) => process.stdout.write(`${text}\n`) };

/** The edges deploy and teardown both reach the world through: programs, output, the kubeconfig, the API server. */
export interface ClusterDeps {
  runner: Runner;
  out: Output;
  /** Reads the kubeconfig's current context (again after `minikube start` changed it). */
  kubeContext: () => ContextInfo | undefined;
  kubeApi: () => KubeApi;
  /** What the waits sleep on (default: the system clock; tests pass the fake cluster's virtual one). */
  clock?: Clock;
  /** The namespace lock's clock, sleep, holder and renewal timer (tests), and dev's session that keeps it between deploys. */
  lock?: LockSettings;
}
