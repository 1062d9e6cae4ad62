import type { KubeObject } from '@llmops-rag/contract';
import { apiMessage, FIELD_MANAGER, pruneCandidates } from '../apply.js';
import type { KubeApi } from '../kube.js';
import { ownershipLabel } from '../manifests.js';
import { describeRef, refOf, type Output } from '../types.js';
import type { Desired } from './desired.js';
import type { DiffAction, ObjectDiff } from './diff-options.js';
import { maskSecrets } from './mask.js';
import { normalize } from './normalize.js';
import { toYaml, unifiedDiff } from './render.js';

/**
 * What a deploy would change, object by object, like `kubectl diff`: each desired object goes through a
 * server-side dry-run apply as the deploy's field manager (defaults, admission and field ownership as a real
 * apply, nothing stored) and is compared with the live object; the objects the deploy would prune follow,
 * as removed. Objects in a namespace that does not exist yet cannot be dry-run (the API server refuses them),
 * so they are shown as the deploy would send them.
 */
export async function compareWithCluster(api: KubeApi, desired: Desired, out: Output): Promise<ObjectDiff[]> {
  const diffs: ObjectDiff[] = [];
  const namespacesToCreate = new Set<string>();
  for (const object of desired.objects) {
    const live = await api.get(refOf(object));
    if (object.kind === 'Namespace' && !live) {
      namespacesToCreate.add(object.metadata.name);
      out.line(
        `  namespace ${object.metadata.name} does not exist yet: the objects in it are shown as the deploy would send them, without the server's defaults`,
      );
    }
    const inNewNamespace = object.metadata.namespace !== undefined && namespacesToCreate.has(object.metadata.namespace);
    const after = inNewNamespace ? object : await dryRunApply(api, object);
    diffs.push(objectDiff(object, live, after, live ? 'change' : 'create'));
  }
  const candidates = await pruneCandidates(api, desired.objects, { namespace: desired.namespace, label: ownershipLabel(desired.objects) });
  for (const object of candidates) diffs.push(objectDiff(object, object, undefined, 'prune'));
  return diffs;
}

async function dryRunApply(api: KubeApi, object: KubeObject): Promise<KubeObject> {
  try {
    return await api.apply(object, FIELD_MANAGER, { dryRun: true });
  } catch (error) {
    throw new Error(
      `server-side dry-run apply of ${describeRef(refOf(object))} failed: ${apiMessage(error)}\n` +
        'fix: a deploy would fail the same way; read the API server message above (`npx nx run k8s-manifests:synth` validates the manifests offline)',
      { cause: error },
    );
  }
}

function objectDiff(object: KubeObject, live: KubeObject | undefined, after: KubeObject | undefined, ifDifferent: DiffAction): ObjectDiff {
  const [before, next] = maskSecrets(live && normalize(live), after && normalize(after));
  const patch = unifiedDiff(object.kind, object.metadata.name, toYaml(before), toYaml(next));
  return { object: describeRef(refOf(object)), action: patch ? ifDifferent : 'unchanged', patch };
}
