import { isAnywhere, parseIpv4Cidr } from '../constructs/cidr.js';
import { ADMIN_CIDRS_ENV } from '../stacks/env-config.js';
import { noInputProblems, shown, type InputProblem } from './input-problems.js';
import { terraformInputProblems } from './terraform-inputs.js';

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
      problems.push({
        key: ADMIN_CIDRS_ENV,
        problem: `${shown(entry)}: ${(error as Error).message.replace(/^not an IPv4 CIDR: .*/, 'not an IPv4 CIDR (a.b.c.d/n)')}`,
        fix,
      });
    }
  });
  return problems;
}

/**
 * Every environment variable the infra-eks commands (synth, validate,
 * tf-test) read — the admin CIDRs here, the terraform ones in terraform-inputs.ts —, checked before anything is synthesized or written: a bad
 * value is named with what is wrong and the fix, never a stack trace.
 */
export function checkInputs(env: NodeJS.ProcessEnv = process.env): InputProblem[] {
  return [...adminCidrProblems(env[ADMIN_CIDRS_ENV]), ...terraformInputProblems(env)];
}

/**
 * For the CLIs: prints the problems to stderr and returns false when any
 * input is bad (the caller stops and exits 2), true when all are fine.
 */
export function inputsOk(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return noInputProblems(command, checkInputs(env));
}
