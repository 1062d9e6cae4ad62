import { parseFlags, parseTimeout } from '@llmops-rag/platform';
import { teardownScope } from '../manifests.js';
import type { TeardownOptions } from '../teardown.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';

export const TEARDOWN_HELP = `Remove what deploy-minikube / deploy-local created on the current (local) context.

Usage:
  npx nx run k8s-manifests:teardown [-- flags]

Deletes the app's objects in the namespace (only those labelled
app.kubernetes.io/part-of=llmops-rag and applied by the deploy). Deletes the
namespace only when the deploy created it and nothing the deploy did not apply
is left in it; otherwise keeps it and lists what remains. Sets the context's
default namespace back to exactly what it was before the deploy (unset stays
unset), as recorded on the namespace. The cluster, and the image loaded into it, stay.
It holds the namespace's lock while it runs (a deploy running there is waited for, not torn down
under its feet), and waits until each object it deleted is gone, as kubectl delete does.

Flags:
  --allow-context=<name>   tear down although the context is not a recognised local cluster
  --delete-namespace       delete the namespace even if it holds objects the deploy did not apply,
                           or the deploy did not create it (what goes with it is listed first)
  --timeout=<duration>     how long to wait for another operation's lock, and for the objects and the
                           namespace to be gone (default: 120s)
  --no-wait                when another deploy, rollback, teardown or dev holds the namespace's lock,
                           refuse at once (exit 3, outcome "locked") instead of waiting up to --timeout
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty.

Exit codes: 0 removed, 1 a step failed, 2 bad flags, 3 refused or locked by another operation (nothing
was changed). Nx reports every failure as exit 1, so the last line on stderr names the outcome:
  teardown-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3 | locked exit=3`;

/**
 * The teardown command's flags as TeardownOptions (`help` when -h/--help was given); the namespace and
 * the ownership label come from the synthesized dev manifests under `root`. A bad flag throws a UsageError (exit 2).
 */
export function parseTeardownArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: TeardownOptions } {
  const { values } = parseFlags(
    argv,
    {
      'allow-context': { type: 'string' },
      timeout: { type: 'string' },
      'delete-namespace': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
    },
    { 'allow-context': { empty: ALLOW_CONTEXT_FIX } },
  );
  if (values.help) return { help: true };
  return {
    help: false,
    options: {
      ...teardownScope(root),
      timeoutMs: parseTimeout(values.timeout as string | undefined, 120),
      deleteNamespace: Boolean(values['delete-namespace']),
      wait: !values['no-wait'],
      ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}),
    },
  };
}
