import { join } from 'node:path';
import type { Profile } from '../profiles/profile.js';
import { formatReport } from '../validate/report.js';
import { validateObjects } from '../validate/validate-objects.js';
import { removeDir, sweepOrphans } from '@llmops-rag/platform';
import { readSynthInputs, synthOptionsFor, variableUsedBy } from './synth-inputs.js';
import { synthProfile } from './synth-profile.js';
import { writeProfile } from './write-profile.js';

export interface RunSynthOptions {
  /** Output root; each profile goes to `<out>/<profile>/`. */
  out: string;
  profiles: readonly Profile[];
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Exit codes of `nx run k8s-manifests:synth`. */
export const SYNTH_EXIT = { ok: 0, invalidManifests: 1, badInput: 2 } as const;

/**
 * The synth command: checks every input variable first (a bad one writes
 * nothing), then synthesizes and validates each profile and writes it only
 * when valid. A profile that fails, for any reason, leaves no directory behind:
 * its output from an earlier run is removed, so `kubectl apply -k` cannot pick
 * up manifests that no longer match the inputs.
 */
export function runSynth(options: RunSynthOptions): number {
  const { out, profiles, stdout, stderr } = options;
  const started = performance.now();
  const inputs = readSynthInputs(options.env);

  if (!inputs.ok) {
    for (const p of inputs.problems) stderr(`synth: ${p.message}\n  fix: ${p.fix}\n`);
    for (const profile of profiles) {
      const failedBy = inputs.problems.filter((p) => variableUsedBy(p.variable, profile)).map((p) => p.variable);
      if (failedBy.length > 0) removeStale(profile, out, `${failedBy.join(' and ')} is invalid`, stderr);
    }
    stderr(`synth: nothing synthesized or written; fix the variable${inputs.problems.length > 1 ? 's' : ''} above and run synth again\n`);
    return SYNTH_EXIT.badInput;
  }

  for (const orphan of sweepOrphans(out)) stderr(`synth: removed ${join(out, orphan)}/, left by a synth that was killed mid-write\n`);
  let failed = false;
  for (const profile of profiles) {
    const result = synthProfile(profile, synthOptionsFor(profile, inputs.values));
    const report = validateObjects(profile, result.objects);
    const dir = join(out, profile.name);
    const written = report.ok ? { dir, files: writeProfile(result, dir) } : undefined;
    stdout(`${formatReport(report, written)}\n`);
    if (!report.ok) {
      failed = true;
      stderr(`[${profile.name}] not written: fix the errors above and run synth again\n`);
      removeStale(profile, out, 'it failed validation', stderr);
    }
  }

  stdout(`synth ${failed ? 'failed' : 'done'} in ${Math.round(performance.now() - started)} ms\n`);
  return failed ? SYNTH_EXIT.invalidManifests : SYNTH_EXIT.ok;
}

function removeStale(profile: Profile, out: string, reason: string, stderr: (text: string) => void): void {
  const dir = join(out, profile.name);
  if (removeDir(dir)) stderr(`[${profile.name}] removed ${dir}/ from an earlier run (${reason}), so it cannot be applied by mistake\n`);
}
