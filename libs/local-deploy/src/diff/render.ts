import type { KubeObject } from '@llmops-rag/contract';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { stringify } from 'yaml';

/** An object as YAML with sorted keys (as kubectl diff writes them), so key order never shows as a change; '' for an absent side. */
export function toYaml(object: KubeObject | undefined): string {
  return object ? stringify(object, { sortMapEntries: true, lineWidth: 0 }) : '';
}

/**
 * The unified diff of one object, `diff -u -N` style: `--- live/<Kind>/<name>` and `+++ deploy/<Kind>/<name>`,
 * an absent side read as empty (a new object is all added, a pruned one all removed). '' when both are the same.
 */
export function unifiedDiff(kind: string, name: string, live: string, desired: string): string {
  if (live === desired) return '';
  return createTwoFilesPatch(`live/${kind}/${name}`, `deploy/${kind}/${name}`, live, desired, undefined, undefined, {
    context: 3,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
