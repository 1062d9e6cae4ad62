/**
 * `nx run k8s-manifests:rehearse [--profile prod]`: runs the synthesized
 * Deployment's container in Docker the way the kubelet would (env from the
 * ConfigMap and Secret, limits, securityContext, probes, preStop and grace
 * period) and prints a step-by-step report. Exit 0 when the pod would come up
 * Ready and terminate cleanly, 1 otherwise.
 *
 *   tsx libs/k8s-manifests/src/rehearsal/cli.ts [--profile dev|prod] [--dir DIR]
 *       [--image IMAGE] [--timeout SECONDS] [--keep]
 *
 * Secret values: the same-named variables of the environment, else the
 * git-ignored .env at the repo root, else the manifest's placeholder. They
 * reach docker only through its environment (`-e KEY`), never argv or disk.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDotEnv } from '../secret/dot-env.js';
import { dockerRuntime } from './docker-runtime.js';
import { formatStep, formatSummary } from './report.js';
import { rehearse } from './rehearse.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PROFILES = ['dev', 'prod'];

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'dev' },
    dir: { type: 'string' },
    deployment: { type: 'string', default: 'rag-api' },
    container: { type: 'string' },
    image: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: tsx libs/k8s-manifests/src/rehearsal/cli.ts [--profile dev|prod] [--dir DIR] [--image IMAGE] [--timeout SECONDS] [--keep]');
  process.exit(0);
}
if (!values.dir && !PROFILES.includes(values.profile)) {
  console.error(`rehearse: unknown --profile "${values.profile}" (known: ${PROFILES.join(', ')}); or pass --dir`);
  process.exit(2);
}
const timeoutSeconds = Number(values.timeout);
if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
  console.error(`rehearse: --timeout must be a positive number of seconds, got "${values.timeout}"`);
  process.exit(2);
}

const dir = values.dir ?? join(ROOT, 'dist', 'k8s', values.profile);
console.log(`Pod rehearsal: ${values.profile} from ${dir}`);
const result = await rehearse({
  dir,
  profile: values.profile,
  deploymentName: values.deployment,
  ...(values.container ? { containerName: values.container } : {}),
  ...(values.image ? { image: values.image } : {}),
  env: process.env,
  dotEnv: readDotEnv(join(ROOT, '.env')),
  timeoutSeconds,
  runtime: dockerRuntime(),
  keep: values.keep,
  onStep: (step) => console.log(formatStep(step)),
  onLine: (line) => console.log(line),
});
console.log(formatSummary(result));
process.exit(result.ok ? 0 : 1);
