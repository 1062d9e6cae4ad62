import type { ObjectDiff } from './diff-options.js';

/** `7 objects: 1 to create, 1 to change, 1 to prune, 4 unchanged`. */
export function summaryLine(diffs: readonly ObjectDiff[]): string {
  const count = (action: ObjectDiff['action']) => diffs.filter((d) => d.action === action).length;
  return `${diffs.length} object${diffs.length === 1 ? '' : 's'}: ${count('create')} to create, ${count('change')} to change, ${count('prune')} to prune, ${count('unchanged')} unchanged`;
}
