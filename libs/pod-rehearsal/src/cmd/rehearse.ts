/**
 * `nx run k8s-manifests:rehearse [--profile prod]`: runs the synthesized
 * Deployment's container in Docker the way the kubelet would (env from the
 * ConfigMap and Secret, limits, securityContext, probes, preStop and grace
 * period) and prints a step-by-step report. Exit 0 when the pod would come up
 * Ready and terminate cleanly, 1 otherwise, 2 for bad flags, 3 when the .env
 * can't be used; the last stderr line names the outcome (`rehearse-outcome: …`).
 *
 *   tsx libs/pod-rehearsal/src/cmd/rehearse.ts [--profile dev|prod] [--dir DIR]
 *       [--image IMAGE] [--timeout SECONDS] [--keep] [--dotenv PATH] [--outcome-file PATH]
 *
 * Secret values: the same-named variables of the environment, else the
 * git-ignored .env at the repo root (or --dotenv), else the manifest's placeholder. They
 * reach docker only through its environment (`-e KEY`), never argv or disk.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags, runCli, UsageError } from '@llmops-rag/k8s-manifests';
import { EXIT } from '@llmops-rag/k8s-manifests';
import { readDotEnv } from '@llmops-rag/k8s-manifests';
import { dockerRuntime } from '../docker-runtime.js';
import { formatStep, formatSummary } from '../report.js';
import { rehearse } from '../rehearse.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PROFILES = ['dev', 'prod'];
const USAGE = `usage: tsx libs/pod-rehearsal/src/cmd/rehearse.ts [--profile dev|prod] [--dir DIR] [--image IMAGE] [--timeout SECONDS] [--keep] [--dotenv PATH] [--outcome-file PATH]

Secret values: the environment, else the .env at the repo root (or --dotenv), else the manifest's placeholder.
A flag that takes a value may be given once, and not empty.
Exit codes: 0 Ready and terminated cleanly, 1 it would not, 2 bad flags, 3 refused before starting (a .env
that can't be used). Nx reports every failure as exit 1, so the last line on stderr names the outcome:
  rehearse-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3`;

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    profile: { type: 'string', default: 'dev' },
    dir: { type: 'string' },
    deployment: { type: 'string', default: 'rag-api' },
    container: { type: 'string' },
    image: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    dotenv: { type: 'string' },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  if (!values.dir && !PROFILES.includes(values.profile)) throw new UsageError(`rehearse: unknown --profile "${values.profile}" (known: ${PROFILES.join(', ')}); or pass --dir`);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`rehearse: --timeout must be a positive number of seconds, got "${values.timeout}"`);

  // Checked before Docker is touched: a .env that can't be used refuses (exit 3); each unusable line warns.
  const dotEnv = readDotEnv(resolve(values.dotenv ?? join(ROOT, '.env')), (warning) => console.error(`⚠ ${warning}`));
  const dir = values.dir ?? join(ROOT, 'dist', 'k8s', values.profile);
  console.log(`Pod rehearsal: ${values.profile} from ${dir}`);
  const result = await rehearse({
    dir,
    profile: values.profile,
    deploymentName: values.deployment,
    ...(values.container ? { containerName: values.container } : {}),
    ...(values.image ? { image: values.image } : {}),
    env: process.env,
    dotEnv,
    timeoutSeconds,
    runtime: dockerRuntime(),
    keep: values.keep,
    onStep: (step) => console.log(formatStep(step)),
    onLine: (line) => console.log(line),
  });
  console.log(formatSummary(result));
  return result.ok ? EXIT.ok : EXIT.failed;
}

runCli('rehearse', main);
