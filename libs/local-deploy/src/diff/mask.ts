import type { KubeObject } from '@llmops-rag/contract';

/** kubectl's client-side apply keeps the whole applied object here, a Secret's values included. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export const MASK = '***';

type Values = Record<string, unknown>;

/**
 * A Secret pair (live, desired) with every value hidden, as kubectl diff masks them: each `data` and
 * `stringData` value becomes `***`, and where a key's value differs between the two sides, `*** (before)`
 * and `*** (after)`, so the change shows without the value. kubectl's last-applied annotation, which holds
 * the values too, is masked the same way. Any other kind passes through unchanged. Either side may be absent
 * (a Secret to create or to prune).
 */
export function maskSecrets(live: KubeObject | undefined, desired: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  if ((live ?? desired)?.kind !== 'Secret') return [live, desired];
  const before = live ? structuredClone(live) : undefined;
  const after = desired ? structuredClone(desired) : undefined;
  for (const field of ['data', 'stringData']) {
    const [b, a] = maskValues(before?.[field] as Values | undefined, after?.[field] as Values | undefined);
    if (before && b) before[field] = b;
    if (after && a) after[field] = a;
  }
  const [b, a] = maskValues(before?.metadata.annotations, after?.metadata.annotations, [LAST_APPLIED_ANNOTATION]);
  if (before && b) before.metadata.annotations = b as Record<string, string>;
  if (after && a) after.metadata.annotations = a as Record<string, string>;
  return [before, after];
}

/** Both sides' values masked (only `keys` when given), marked before/after where they differ. */
function maskValues(before: Values | undefined, after: Values | undefined, keys?: readonly string[]): [Values | undefined, Values | undefined] {
  const masked = (own: Values | undefined, other: Values | undefined, side: 'before' | 'after') =>
    own &&
    Object.fromEntries(
      Object.entries(own).map(([k, v]) => {
        if (keys && !keys.includes(k)) return [k, v];
        const differs = other !== undefined && k in other && other[k] !== v;
        return [k, differs ? `${MASK} (${side})` : MASK];
      }),
    );
  return [masked(before, after, 'before'), masked(after, before, 'after')];
}
