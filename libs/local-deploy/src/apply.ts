import type { KubeApi } from './kube.js';
import { PRUNABLE_KINDS, type KubeObject } from '@llmops-rag/contract';
import { describeRef, refOf, type Output } from './types.js';
import { isReleaseSecret } from './release/record.js';

/** The field manager of every apply: pruning only touches objects it manages. */
export const FIELD_MANAGER = 'llmops-rag-deploy';

export type ApplyAction = 'created' | 'configured' | 'unchanged';

export interface Applied {
  object: string;
  action: ApplyAction;
}

/**
 * Server-side apply of each object in order. The action is judged like
 * kubectl's: absent before → created; resourceVersion moved → configured;
 * else unchanged (a second deploy with no change reports only "unchanged").
 */
export async function applyAll(api: KubeApi, objects: readonly KubeObject[], out: Output): Promise<Applied[]> {
  const results: Applied[] = [];
  for (const object of objects) {
    const ref = refOf(object);
    const before = await api.get(ref);
    let after: KubeObject;
    try {
      after = await api.apply(object, FIELD_MANAGER);
    } catch (error) {
      throw new Error(`server-side apply of ${describeRef(ref)} failed: ${apiMessage(error)}\nfix: ${applyFix(error)}`, { cause: error });
    }
    const action: ApplyAction = !before ? 'created' : before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
    results.push({ object: describeRef(ref), action });
    out.line(`  ${describeRef(ref).toLowerCase()} ${action}`);
  }
  return results;
}

export interface PruneScope {
  namespace: string;
  /** The label every synthesized object carries, e.g. app.kubernetes.io/part-of=llmops-rag. */
  label: { key: string; value: string };
}

/**
 * Apply-set style pruning: objects in the namespace that carry the app's label,
 * were applied by this deploy's field manager, and are no longer synthesized
 * are deleted. Objects someone else created are never touched.
 */
export async function prune(api: KubeApi, current: readonly KubeObject[], scope: PruneScope, out: Output): Promise<string[]> {
  const pruned: string[] = [];
  for (const object of await pruneCandidates(api, current, scope)) {
    await api.delete(refOf(object));
    pruned.push(describeRef(refOf(object)));
    out.line(`  ${object.kind.toLowerCase()}/${object.metadata.name} pruned (no longer synthesized)`);
  }
  return pruned;
}

/**
 * What `prune` would delete: the live objects (as read, with apiVersion and kind set) it owns that `current` no
 * longer has. A release record (a Secret of the release type) is never one, whatever its labels or managers.
 */
export async function pruneCandidates(api: KubeApi, current: readonly KubeObject[], scope: PruneScope): Promise<KubeObject[]> {
  const wanted = new Set(current.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`));
  const selector = `${scope.label.key}=${scope.label.value}`;
  const candidates: KubeObject[] = [];
  for (const { apiVersion, kind } of PRUNABLE_KINDS) {
    let existing: KubeObject[];
    try {
      existing = await api.list(apiVersion, kind, scope.namespace, selector);
    } catch (error) {
      if ((error as { code?: number }).code === 404) continue; // kind not served by this cluster
      throw error;
    }
    for (const object of existing) {
      const key = `${kind}/${scope.namespace}/${object.metadata.name}`;
      if (wanted.has(key) || !managedBy(object, FIELD_MANAGER) || isReleaseSecret({ ...object, kind })) continue;
      candidates.push({ ...object, apiVersion, kind, metadata: { ...object.metadata, namespace: scope.namespace } });
    }
  }
  return candidates;
}

export function managedBy(object: KubeObject, manager: string): boolean {
  return (object.metadata.managedFields ?? []).some((f) => f.manager === manager);
}

/**
 * The API server's own words for a failed call: the message of its Status, never the client's dump
 * (`HTTP-Code: 403\nMessage: …\nBody: …\nHeaders: {…}`). Every API error shown to a person goes through here
 * (kube-client.ts turns each client error into a KubeApiError carrying this message and the Status reason).
 */
export function apiMessage(error: unknown): string {
  const body = (error as { body?: unknown } | undefined)?.body;
  if (typeof body === 'string' && body.trim()) {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body.trim().slice(0, 300);
    }
  }
  if (body && typeof body === 'object' && 'message' in body) return String((body as { message: unknown }).message);
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'number' && text.startsWith('HTTP-Code:')) {
    // No Status body: the code, and the client's one-line reading of it.
    const said = /\nMessage: (.*)/.exec(text)?.[1];
    return `the API server answered HTTP ${code}${said && !/unknown api status code/i.test(said) ? ` (${said})` : ''}`;
  }
  return text.split('\n')[0] ?? text;
}

function applyFix(error: unknown): string {
  const code = (error as { code?: number }).code;
  const message = apiMessage(error);
  if (code === 403) return "the context's user may not write this object; use a cluster where you are admin (a local one)";
  if (/violates PodSecurity/i.test(message)) return 'the pod loosens the restricted securityContext the namespace enforces; fix the chart, not the namespace';
  if (/field is immutable/i.test(message)) return 'an immutable field changed (e.g. the Deployment selector); run the teardown target, then deploy again';
  if (code === undefined) return 'check the cluster is reachable: `kubectl cluster-info`';
  return 'read the API server message above; `npx nx run k8s-manifests:synth` validates the manifests offline';
}
