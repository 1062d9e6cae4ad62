#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_LABELS } from '../../names.js';
import { clientKubeApi, currentContext, loadKubeConfig } from '../kube-client.js';
import { ownershipLabel, readSynthOutput } from '../manifests.js';
import { processRunner } from '../runner.js';
import { runTeardown } from '../teardown.js';
import { consoleOutput } from '../types.js';
import { EXIT, parseFlags, parseTimeout, runCli, UsageError, workspaceRoot } from './args.js';

const HELP = `Remove what deploy-minikube / deploy-local created on the current (local) context.

Usage:
  npx nx run k8s-manifests:teardown [-- flags]

Deletes the app's objects in the namespace (only those labelled
app.kubernetes.io/part-of=llmops-rag and applied by the deploy), then the
namespace itself when the deploy created it, and resets the context's default
namespace if the deploy set it. The cluster, and the image loaded into it, stay.

Flags:
  --allow-context=<name>   tear down although the context is not a recognised local cluster
  --timeout=<duration>     how long to wait for the namespace to go (default: 120s)
  -h, --help               this text`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, { 'allow-context': { type: 'string' }, timeout: { type: 'string' } });
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
      ...(values['allow-context'] ? { allowContext: String(values['allow-context']) } : {}),
    },
    { runner: processRunner(), out: consoleOutput, kubeContext: () => currentContext(loadKubeConfig()), kubeApi: () => clientKubeApi(loadKubeConfig()) },
  );
  return result.ok ? EXIT.ok : EXIT.failed;
}

runCli('teardown', () => main(process.argv.slice(2)));
