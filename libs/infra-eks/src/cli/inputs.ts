import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAnywhere, parseIpv4Cidr } from '../constructs/cidr.js';
import { ADMIN_CIDRS_ENV } from '../stacks/env-config.js';
import { MIRROR_ENV, MIRRORED_PROVIDERS } from '../terraform/cli-config.js';

/**
 * Every environment variable the infra-eks commands (synth, validate,
 * tf-test) read, checked before anything is synthesized or written: a bad
 * value is named with what is wrong and the fix, never a stack trace.
 */
export interface InputProblem {
  readonly key: string;
  readonly problem: string;
  readonly fix: string;
}

const MAX_SHOWN = 60;

/** A value quoted for a message, cut so a huge value cannot flood the terminal. */
export function shown(value: string): string {
  const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}… (${value.length} chars)` : value;
  return JSON.stringify(cut);
}

function adminCidrProblems(raw: string | undefined): InputProblem[] {
  if (raw === undefined || raw.trim() === '') return [];
  const fix = `set ${ADMIN_CIDRS_ENV} to comma-separated IPv4 CIDRs of your admin networks, e.g. 203.0.113.7/32,198.51.100.0/24 (or unset it for the fail-closed placeholder)`;
  const entries = raw.split(',').map((c) => c.trim());
  const problems: InputProblem[] = [];
  entries.forEach((entry, i) => {
    if (entry === '') {
      if (i !== entries.length - 1) problems.push({ key: ADMIN_CIDRS_ENV, problem: `entry ${i + 1} is empty`, fix });
      return;
    }
    try {
      parseIpv4Cidr(entry);
      if (isAnywhere(entry)) {
        problems.push({
          key: ADMIN_CIDRS_ENV,
          problem: `${shown(entry)} opens the Kubernetes API endpoint to the whole internet`,
          fix: `name the admin networks instead (e.g. your office egress /32); a /0 is never accepted from the environment`,
        });
      }
    } catch (error) {
      problems.push({ key: ADMIN_CIDRS_ENV, problem: `${shown(entry)}: ${(error as Error).message.replace(/^not an IPv4 CIDR: .*/, 'not an IPv4 CIDR (a.b.c.d/n)')}`, fix });
    }
  });
  return problems;
}

function mirrorProblems(raw: string | undefined): InputProblem[] {
  if (raw === undefined || raw.trim() === '') return [];
  const dir = resolve(raw.trim());
  const fix = `point ${MIRROR_ENV} at a terraform provider mirror in the unpacked layout (e.g. /opt/tf-plugins holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/), or unset it to let terraform download the provider`;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return [{ key: MIRROR_ENV, problem: `${shown(raw)} does not exist`, fix }];
  }
  if (!isDir) return [{ key: MIRROR_ENV, problem: `${shown(raw)} is not a directory`, fix }];
  const missing = MIRRORED_PROVIDERS.filter((p) => {
    try {
      return !statSync(join(dir, p)).isDirectory();
    } catch {
      return true;
    }
  });
  return missing.map((p) => ({ key: MIRROR_ENV, problem: `${shown(raw)} holds no ${p} (no provider to install offline)`, fix }));
}

function terraformBinProblems(raw: string | undefined): InputProblem[] {
  if (raw === undefined || raw === '') return [];
  const fix = 'set TERRAFORM_BIN to the path of an executable terraform (>= 1.7), or unset it to use terraform from PATH';
  try {
    if (!statSync(raw).isFile()) return [{ key: 'TERRAFORM_BIN', problem: `${shown(raw)} is not a file`, fix }];
    accessSync(raw, constants.X_OK);
    return [];
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return [{ key: 'TERRAFORM_BIN', problem: `${shown(raw)} ${code === 'ENOENT' ? 'does not exist' : 'is not executable'}`, fix }];
  }
}

export function checkInputs(env: NodeJS.ProcessEnv = process.env): InputProblem[] {
  return [...adminCidrProblems(env[ADMIN_CIDRS_ENV]), ...mirrorProblems(env[MIRROR_ENV]), ...terraformBinProblems(env.TERRAFORM_BIN)];
}

export function formatInputProblems(command: string, problems: readonly InputProblem[]): string {
  const lines = [`infra-eks ${command}: refused before writing anything, ${problems.length} bad input${problems.length === 1 ? '' : 's'}:`];
  for (const p of problems) lines.push(`  ${p.key}: ${p.problem}`, `    fix: ${p.fix}`);
  return `${lines.join('\n')}\n`;
}

/** Exit code of a refused input (usage error), distinct from 1 = a check failed. */
export const BAD_INPUT_EXIT_CODE = 2;

/**
 * For the CLIs: prints the problems to stderr and returns false when any
 * input is bad (the caller stops and exits 2), true when all are fine.
 */
export function inputsOk(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const problems = checkInputs(env);
  if (problems.length === 0) return true;
  process.stderr.write(formatInputProblems(command, problems));
  process.exitCode = BAD_INPUT_EXIT_CODE;
  return false;
}
