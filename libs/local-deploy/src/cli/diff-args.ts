import { resolve } from 'node:path';
import { IMAGE_ARCHIVE } from '@llmops-rag/contract';
import { parseFlags } from '@llmops-rag/platform';
import type { DiffOptions } from '../diff/diff-options.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';

export const DIFF_HELP = `Show what a deploy would change on the current (local) Kubernetes context, like \`kubectl diff\`.

Usage:
  npx nx run k8s-manifests:diff [-- flags]

Compares exactly what \`deploy --skip-build\` would apply now (dist/k8s/dev, the Secret from the
environment/.env, the image ID of ${IMAGE_ARCHIVE}) with the live objects: each goes through a
server-side dry-run apply (nothing is stored) and both sides are shown as YAML without status and
server metadata, one unified diff per object (--- live/<Kind>/<name>, +++ deploy/<Kind>/<name>).
New objects are all added, objects the deploy would prune all removed. Secret values are never
shown: each is ***, and a changed one *** (before) / *** (after). Nothing is ever written.

Flags:
  --allow-context=<name>   compare although the current context is not a recognised local cluster;
                           must equal the current context's name exactly
  --dotenv=<path>          read secret values from this file instead of .env at the repo root
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty.

The diffs and the summary line go to stdout, progress to stderr.

Exit codes (as kubectl diff): 0 no differences, 1 differences, 2 bad flags, 3 refused before reading
the cluster, 4 the comparison could not be made (the API server's message is printed). Nx reports
every failure as exit 1, so the last line on stderr names the outcome:
  diff-outcome: unchanged exit=0 | changes exit=1 | usage exit=2 | refused exit=3 | failed exit=4`;

/** The diff command's flags as DiffOptions (`help` when -h/--help was given); a bad flag throws a UsageError (exit 2). */
export function parseDiffArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: DiffOptions } {
  const { values } = parseFlags(argv, { 'allow-context': { type: 'string' }, dotenv: { type: 'string' } }, { 'allow-context': { empty: ALLOW_CONTEXT_FIX } });
  if (values.help) return { help: true };
  return {
    help: false,
    options: {
      workspaceRoot: root,
      ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}),
      ...(values.dotenv !== undefined ? { envFile: resolve(values.dotenv) } : {}),
    },
  };
}
