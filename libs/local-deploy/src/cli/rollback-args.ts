import { resolve } from 'node:path';
import { parseFlags, parseTimeout, shownFlagValue, UsageError } from '@llmops-rag/platform';
import { teardownScope } from '../manifests.js';
import type { RollbackOptions } from '../release/rollback.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';

export const ROLLBACK_HELP = `Return the app to a recorded release, verified like a deploy.

Usage:
  npx nx run k8s-manifests:rollback [-- flags]

Re-applies the release's objects (server-side apply, as the deploy), waits for the rollout, runs the
deploy's verify checklist and records the result as a new revision ("rollback to N"), like helm rollback.
Secret values are not in a release: the live Secret's values are kept when it has exactly the revision's
keys, otherwise the Secret is built from the environment/.env as the deploy builds it; the output says
which, and whether the Secret's checksum equals the revision's. The image is not part of a release: new
pods run the llmops-rag-api:latest the cluster holds (a warning says when the revision ran another one).

Flags:
  --to=<revision>          the revision to return to (npx nx run k8s-manifests:history lists them);
                           default: the newest release that rolled out before the one the cluster holds
  --allow-context=<name>   roll back although the context is not a recognised local cluster
  --timeout=<duration>     how long to wait for the rollout: 180, 180s or 3m (default: 180s)
  --no-atomic              when the rollout fails, leave it as it failed (default: restore what was there)
  --dotenv=<path>          read secret values from this file instead of .env at the repo root
  --no-wait                when another deploy, rollback, teardown or dev holds the namespace's lock,
                           refuse at once (exit 3, outcome "locked") instead of waiting up to --timeout
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty.

When the newest release was interrupted (its process killed while it was pending), the default is the
release deployed before it: the last state the history knows.

Exit codes: 0 rolled back and verified, 1 a step/check failed, 2 bad flags or no such revision, 3 refused
(not a local context, nothing to roll back to, or locked by another operation), 130/143 stopped by
Ctrl-C/SIGTERM (what ran before put back and the attempt recorded; a second Ctrl-C quits at once). Nx
reports every failure as exit 1, so the last line on stderr names the outcome:
  rollback-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3 | locked exit=3 | interrupted exit=130`;

const ROLLBACK_FLAGS = {
  to: { type: 'string' },
  'allow-context': { type: 'string' },
  timeout: { type: 'string' },
  'no-atomic': { type: 'boolean', default: false },
  dotenv: { type: 'string' },
  'no-wait': { type: 'boolean', default: false },
} as const;

/** The rollback command's flags as RollbackOptions (`help` when -h/--help was given); a bad flag throws a UsageError (exit 2). */
export function parseRollbackArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: RollbackOptions } {
  const { values } = parseFlags(argv, ROLLBACK_FLAGS, { 'allow-context': { empty: ALLOW_CONTEXT_FIX } });
  if (values.help) return { help: true };
  return {
    help: false,
    options: {
      namespace: teardownScope(root).namespace,
      ...(values.to !== undefined ? { to: parseRevision(values.to) } : {}),
      ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}),
      timeoutMs: parseTimeout(values.timeout as string | undefined, 180),
      atomic: !values['no-atomic'],
      wait: !values['no-wait'],
      workspaceRoot: root,
      ...(values.dotenv !== undefined ? { envFile: resolve(values.dotenv) } : {}),
    },
  };
}

function parseRevision(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--to=${shownFlagValue(value)}: expected a revision number (1, 2, …) as \`npx nx run k8s-manifests:history\` lists them`);
  }
  return Number(value);
}
