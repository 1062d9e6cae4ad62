/**
 * How the infra-eks commands refuse a bad environment variable: each problem
 * names the variable, what is wrong and the fix, printed before anything is
 * synthesized or written; never a stack trace.
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

export function formatInputProblems(command: string, problems: readonly InputProblem[]): string {
  const lines = [`infra-eks ${command}: refused before writing anything, ${problems.length} bad input${problems.length === 1 ? '' : 's'}:`];
  for (const p of problems) lines.push(`  ${p.key}: ${p.problem}`, `    fix: ${p.fix}`);
  return `${lines.join('\n')}\n`;
}

/** Exit code of a refused input (usage error), distinct from 1 = a check failed. */
export const BAD_INPUT_EXIT_CODE = 2;

/**
 * For the CLIs: prints the problems to stderr and returns false when there
 * are any (the caller stops; the process exits 2), true when there are none.
 */
export function noInputProblems(command: string, problems: readonly InputProblem[]): boolean {
  if (problems.length === 0) return true;
  process.stderr.write(formatInputProblems(command, problems));
  process.exitCode = BAD_INPUT_EXIT_CODE;
  return false;
}
