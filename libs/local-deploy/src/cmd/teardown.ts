#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_LABELS } from '@llmops-rag/k8s-manifests';
import { clientKubeApi, currentContext, loadKubeConfig } from '../kube-client.js';
import { ownershipLabel, readSynthOutput } from '../manifests.js';
import { processRunner } from '@llmops-rag/platform';
import { runTeardown } from '../teardown.js';
import { consoleOutput } from '../types.js';
import { ALLOW_CONTEXT_FIX, EXIT, parseFlags, parseTimeout, runCli } from '@llmops-rag/k8s-manifests';
import { workspaceRoot } from '@llmops-rag/platform';

const HELP = `Remove what deploy-minikube / deploy-local created on the current (local) context.

Usage:
  npx nx run k8s-manifests:teardown [-- flags]

Deletes the app's objects in the namespace (only those labelled
app.kubernetes.io/part-of=llmops-rag and applied by the deploy). Deletes the
namespace only when the deploy created it and nothing the deploy did not apply
is left in it; otherwise keeps it and lists what remains. Sets the context's
default namespace back to exactly what it was before the deploy (unset stays
unset), as recorded on the namespace. The cluster, and the image loaded into it, stay.

Flags:
  --allow-context=<name>   tear down although the context is not a recognised local cluster
  --delete-namespace       delete the namespace even if it holds objects the deploy did not apply,
                           or the deploy did not create it (what goes with it is listed first)
  --timeout=<duration>     how long to wait for the namespace to go (default: 120s)
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty.

Exit codes: 0 removed, 1 a step failed, 2 bad flags, 3 refused (nothing was changed). Nx reports
every failure as exit 1, so the last line on stderr names the outcome:
  teardown-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { 'allow-context': { type: 'string' }, timeout: { type: 'string' }, 'delete-namespace': { type: 'boolean', default: false } }, { 'allow-context': { empty: ALLOW_CONTEXT_FIX } });
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const synthDir = join(workspaceRoot(), 'dist', 'k8s', 'dev');
  const objects = existsSync(synthDir) ? readSynthOutput(synthDir) : [];
  const namespace = objects.find((o) => o.kind === 'Namespace')?.metadata.name ?? 'dev';
  const label = objects.length ? ownershipLabel(objects) : { key: 'app.kubernetes.io/part-of', value: COMMON_LABELS['app.kubernetes.io/part-of'] };
  const result = await runTeardown(
    {
      namespace,
      label,
      timeoutMs: parseTimeout(values.timeout as string | undefined, 120),
      deleteNamespace: Boolean(values['delete-namespace']),
      ...(values['allow-context'] !== undefined ? { allowContext: values['allow-context'] } : {}),
    },
    { runner: processRunner(), out: consoleOutput, kubeContext: () => currentContext(loadKubeConfig()), kubeApi: () => clientKubeApi(loadKubeConfig()) },
  );
  return result.ok ? EXIT.ok : EXIT.failed;
}

runCli('teardown', main);
