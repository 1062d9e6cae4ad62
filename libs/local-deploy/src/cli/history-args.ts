import { parseFlags } from '@llmops-rag/platform';
import { teardownScope } from '../manifests.js';
import type { HistoryOptions } from '../release/history.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';

export const HISTORY_HELP = `List the releases the deploy recorded on the current (local) context, newest first.

Usage:
  npx nx run k8s-manifests:history [-- flags]

Each deploy whose rollout completed is a release (status deployed, or superseded by a later one); a
deploy or rollback whose rollout failed is recorded as failed. Columns: revision, time (UTC), status,
git commit (+dirty when the tree had changes; unknown without git), image ID (short), manifests
profile, digest of what was applied (short), description. The last 10 are kept, as Secrets of type
llmops-rag.io/release.v1 in the app's namespace, so every checkout sees the same history.

Flags:
  --allow-context=<name>   read the history although the context is not a recognised local cluster
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text

Exit codes: 0 listed, 1 a release record could not be read (listed with why), 2 bad flags, 3 refused
(not a local context). Nx reports every failure as exit 1, so the last line on stderr names the outcome:
  history-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3`;

/** The history command's flags (`help` when -h/--help was given); the namespace comes from the synth output, as teardown's. */
export function parseHistoryArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: HistoryOptions } {
  const { values } = parseFlags(argv, { 'allow-context': { type: 'string' } }, { 'allow-context': { empty: ALLOW_CONTEXT_FIX } });
  if (values.help) return { help: true };
  return {
    help: false,
    options: { namespace: teardownScope(root).namespace, ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}) },
  };
}
