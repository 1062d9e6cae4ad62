import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_LABELS, readSynthDir } from '@llmops-rag/k8s-manifests';
import { APPLY_ORDER, type KindName, type KubeObject } from '@llmops-rag/contract';

/** Every object synth wrote to `dir`, in apply order. */
export function readSynthOutput(dir: string): KubeObject[] {
  const objects = readSynthDir(dir);
  if (objects.length === 0) throw new Error(`${dir} has no Kubernetes objects\nfix: run \`npx nx run k8s-manifests:synth\``);
  return sortForApply(objects);
}

/** In contract's APPLY_ORDER (cluster-scoped and referenced objects first, the workload last); an unknown kind just before the last. */
export function sortForApply(objects: readonly KubeObject[]): KubeObject[] {
  const rank = (kind: string) => {
    const i = APPLY_ORDER.indexOf(kind as KindName);
    return i < 0 ? APPLY_ORDER.length - 1 : i;
  };
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind));
}

/**
 * The label every synthesized object carries, used to select what the deploy
 * owns when pruning. Prefers `app.kubernetes.io/part-of`, else any label
 * shared by all objects.
 */
export function ownershipLabel(objects: readonly KubeObject[]): { key: string; value: string } {
  const first = objects[0]?.metadata.labels ?? {};
  const shared = Object.entries(first).filter(([k, v]) => objects.every((o) => o.metadata.labels?.[k] === v));
  const preferred = shared.find(([k]) => k === 'app.kubernetes.io/part-of') ?? shared.find(([k]) => k !== 'app.kubernetes.io/managed-by') ?? shared[0];
  if (!preferred) throw new Error('the synthesized objects share no label, so the deploy cannot tell its objects apart for pruning');
  return { key: preferred[0], value: preferred[1] };
}

/**
 * What teardown removes: the namespace and ownership label of the synthesized dev manifests under `root`
 * (`dist/k8s/dev`), or namespace `dev` and the app's part-of label when there is no synth output.
 */
export function teardownScope(root: string): { namespace: string; label: { key: string; value: string } } {
  const synthDir = join(root, 'dist', 'k8s', 'dev');
  const objects = existsSync(synthDir) ? readSynthOutput(synthDir) : [];
  const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name ?? 'dev';
  const label = objects.length ? ownershipLabel(objects) : { key: 'app.kubernetes.io/part-of', value: COMMON_LABELS['app.kubernetes.io/part-of'] };
  return { namespace, label };
}
