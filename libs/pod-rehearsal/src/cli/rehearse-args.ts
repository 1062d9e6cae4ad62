import { join, resolve } from 'node:path';
import { DotEnvFileError, NAMES, readDotEnv } from '@llmops-rag/k8s-manifests';
import { parseFlags, RefusedError, UsageError } from '@llmops-rag/platform';
import { dockerRuntime } from '../docker-runtime.js';
import { formatStep } from '../report.js';
import type { RehearsalOptions } from '../rehearse.js';

const PROFILES = ['dev', 'prod'];
export const REHEARSE_USAGE = `usage: tsx libs/pod-rehearsal/src/cmd/rehearse.ts [--profile dev|prod] [--dir DIR] [--image IMAGE] [--timeout SECONDS] [--keep] [--dotenv PATH] [--outcome-file PATH]

Secret values: the environment, else the .env at the repo root (or --dotenv), else the manifest's placeholder.
A flag that takes a value may be given once, and not empty.
Exit codes: 0 Ready and terminated cleanly, 1 it would not, 2 bad flags, 3 refused before starting (a .env
that can't be used). Nx reports every failure as exit 1, so the last line on stderr names the outcome:
  rehearse-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3`;

/**
 * The rehearse command's flags as RehearsalOptions (`help` when -h/--help was given), against Docker, printing
 * each step. A bad flag throws a UsageError (exit 2); a .env that can't be used is refused (RefusedError, exit 3)
 * before Docker is touched, and each unusable line warns on stderr.
 */
export function parseRehearseArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: RehearsalOptions } {
  const { values } = parseFlags(argv, {
    profile: { type: 'string', default: 'dev' },
    dir: { type: 'string' },
    deployment: { type: 'string', default: NAMES.deployment },
    container: { type: 'string' },
    image: { type: 'string' },
    timeout: { type: 'string', default: '120' },
    keep: { type: 'boolean', default: false },
    dotenv: { type: 'string' },
  });
  if (values.help) return { help: true };
  if (!values.dir && !PROFILES.includes(values.profile))
    throw new UsageError(`rehearse: unknown --profile "${values.profile}" (known: ${PROFILES.join(', ')}); or pass --dir`);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`rehearse: --timeout must be a positive number of seconds, got "${values.timeout}"`);

  // Checked before Docker is touched: a .env that can't be used refuses (exit 3); each unusable line warns.
  const dotEnv = readDotEnvOrRefuse(resolve(values.dotenv ?? join(root, '.env')));
  const dir = values.dir ?? join(root, 'dist', 'k8s', values.profile);
  return {
    help: false,
    options: {
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
    },
  };
}

/** The .env's values; one that can't be used is a refusal (exit 3) naming the file, its problem and the fix. */
function readDotEnvOrRefuse(path: string): ReturnType<typeof readDotEnv> {
  try {
    return readDotEnv(path, (warning) => console.error(`⚠ ${warning}`));
  } catch (error) {
    if (error instanceof DotEnvFileError) throw new RefusedError([error.asProblem()]);
    throw error;
  }
}
