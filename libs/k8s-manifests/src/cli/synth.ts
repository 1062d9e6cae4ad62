import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES, profileByName } from '../profiles/index.js';
import { synthProfile } from '../synth/synth-profile.js';
import { writeProfile } from '../synth/write-profile.js';
import { formatReport } from '../validate/report.js';
import { validateObjects } from '../validate/validate-objects.js';

/**
 * `nx run k8s-manifests:synth`: synthesizes every profile, validates it
 * (schema, models, policy) and writes `<out>/<profile>/` only when valid.
 * Env: AWS_ACCOUNT_ID (prod IRSA ARN), RAG_API_IMAGE (prod image tag/digest).
 * Exits 1 on any schema issue or unwaived policy failure.
 */
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'dist/k8s' },
    profile: { type: 'string', multiple: true },
  },
});

const started = performance.now();
const names = values.profile ?? Object.keys(PROFILES);
let failed = false;

for (const name of names) {
  const profile = profileByName(name);
  const awsAccountId = process.env.AWS_ACCOUNT_ID?.trim() || undefined;
  const image = profile.name === 'prod' ? process.env.RAG_API_IMAGE?.trim() || undefined : undefined;
  const result = synthProfile(profile, { ...(awsAccountId ? { awsAccountId } : {}), ...(image ? { image } : {}) });
  const report = validateObjects(profile, result.objects);
  const dir = join(values.out, profile.name);
  const written = report.ok ? { dir, files: writeProfile(result, dir) } : undefined;
  process.stdout.write(`${formatReport(report, written)}\n`);
  if (!report.ok) {
    failed = true;
    process.stderr.write(`[${profile.name}] not written: fix the errors above and run synth again\n`);
  }
}

process.stdout.write(`synth ${failed ? 'failed' : 'done'} in ${Math.round(performance.now() - started)} ms\n`);
process.exitCode = failed ? 1 : 0;
