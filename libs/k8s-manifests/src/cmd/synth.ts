import { parseArgs } from 'node:util';
import { PROFILES } from '../profiles/index.js';
import type { Profile, ProfileName } from '../profiles/profile.js';
import { runSynth, SYNTH_EXIT } from '../synth/run-synth.js';

/**
 * `nx run k8s-manifests:synth`: synthesizes every profile (or each --profile),
 * validates it (schema, models, policy) and writes `<out>/<profile>/` only when
 * valid. Env: AWS_ACCOUNT_ID (prod IRSA ARN), RAG_API_IMAGE (prod image), both
 * checked before anything is written.
 * Exit 0: all written; 1: a profile failed validation; 2: a bad flag or variable.
 */
const USAGE = `usage: synth [--out DIR] [--profile ${Object.keys(PROFILES).join('|')}]...`;

function main(): number {
  const usageError = (message: string) => {
    process.stderr.write(`synth: ${message}\n${USAGE}\n`);
    return SYNTH_EXIT.badInput;
  };
  let values: { out: string; profile?: string[] };
  try {
    ({ values } = parseArgs({ options: { out: { type: 'string', default: 'dist/k8s' }, profile: { type: 'string', multiple: true } } }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (values.out.trim() === '') return usageError('--out is empty; give the output directory, e.g. --out dist/k8s');
  const unknown = (values.profile ?? []).filter((name) => !Object.hasOwn(PROFILES, name));
  if (unknown.length > 0) {
    return usageError(`unknown --profile ${unknown.map((n) => JSON.stringify(n.slice(0, 64))).join(', ')}; use one of ${Object.keys(PROFILES).join(', ')}`);
  }
  const profiles: Profile[] = [...new Set(values.profile ?? Object.keys(PROFILES))].map((name) => PROFILES[name as ProfileName]);
  return runSynth({
    out: values.out,
    profiles,
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

process.exitCode = main();
