import type { Profile } from '../profiles/profile.js';
import { parseImageReference } from '@llmops-rag/contract';
import { IMAGE_REPOSITORY, showValue } from '@llmops-rag/contract';
import type { SynthOptions } from './synth-profile.js';

/**
 * Every environment variable synth reads, checked before anything is
 * synthesized or written. Nx caches synth on exactly these (project.json
 * `inputs`); a test keeps that list and this one equal.
 */
export interface SynthVariable {
  name: string;
  /** The profiles whose output the variable changes. */
  usedBy(profile: Profile): boolean;
  /** What is wrong with a set, trimmed, non-empty value; undefined when it is fine. */
  problem(value: string): string | undefined;
  fix: string;
}

export const SYNTH_VARIABLES = {
  awsAccountId: {
    name: 'AWS_ACCOUNT_ID',
    usedBy: (profile) => profile.irsa,
    problem: (value) => (/^[0-9]{12}$/.test(value) ? undefined : 'is not an AWS account id: it must be exactly 12 digits'),
    fix: 'export AWS_ACCOUNT_ID=<12 digits> (the account libs/infra-eks deploys to), or unset it for the placeholder 000000000000',
  },
  image: {
    name: 'RAG_API_IMAGE',
    // dev runs the locally built `latest` by design (spec Part 3.1); the release pipeline overrides prod's pinned image.
    usedBy: (profile) => profile.name === 'prod',
    problem: (value) => {
      const parsed = parseImageReference(value);
      return parsed.ok ? undefined : `is not a valid image reference: ${parsed.problem}`;
    },
    fix: `export RAG_API_IMAGE=[registry[:port]/]${IMAGE_REPOSITORY}:<version> or …/${IMAGE_REPOSITORY}@sha256:<64 hex>, or unset it for the profile default`,
  },
} as const satisfies Record<keyof Omit<SynthOptions, 'configSource'>, SynthVariable>;

export interface InputProblem {
  variable: string;
  /** `AWS_ACCOUNT_ID="abc" is not an AWS account id: …` (value quoted and truncated). */
  message: string;
  fix: string;
}

export type SynthInputs = { ok: true; values: Omit<SynthOptions, 'configSource'> } | { ok: false; problems: InputProblem[] };

/** Reads and checks every synth variable; blank means unset. */
export function readSynthInputs(env: NodeJS.ProcessEnv): SynthInputs {
  const values: Partial<Record<keyof typeof SYNTH_VARIABLES, string>> = {};
  const problems: InputProblem[] = [];
  for (const [key, variable] of Object.entries(SYNTH_VARIABLES) as [keyof typeof SYNTH_VARIABLES, SynthVariable][]) {
    const value = env[variable.name]?.trim();
    if (!value) continue;
    const problem = variable.problem(value);
    if (problem) problems.push({ variable: variable.name, message: `${variable.name}=${showValue(value)} ${problem}`, fix: variable.fix });
    else values[key] = value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** The synth options of one profile: only the variables that profile uses. */
export function synthOptionsFor(profile: Profile, values: Omit<SynthOptions, 'configSource'>): SynthOptions {
  const options: SynthOptions = {};
  for (const [key, variable] of Object.entries(SYNTH_VARIABLES) as [keyof typeof SYNTH_VARIABLES, SynthVariable][]) {
    const value = values[key];
    if (value !== undefined && variable.usedBy(profile)) options[key] = value;
  }
  return options;
}

/** Whether a bad value of `variable` makes `profile` fail. */
export function variableUsedBy(variable: string, profile: Profile): boolean {
  return Object.values(SYNTH_VARIABLES).some((v: SynthVariable) => v.name === variable && v.usedBy(profile));
}
