/** A problem found before anything slow runs: the thing, what is wrong, how to fix it. */
export interface Problem {
  thing: string;
  problem: string;
  fix: string;
}

/** Refusal before any change was made: runCli prints `message` and exits 3 (EXIT.preflight). Engines may subclass it. */
export class RefusedError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = 'RefusedError';
  }
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `✗ ${p.thing}: ${p.problem}\n    fix: ${p.fix}`).join('\n');
}
