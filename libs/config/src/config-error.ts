import { isAppEnv } from '@llmops-rag/contract';
import { showValue } from '@llmops-rag/contract';

export interface ConfigProblem {
  key: string;
  /** What is wrong, never containing a secret's value; long values are cut (see showValue). */
  reason: string;
  /** How to fix it. */
  hint: string;
}

/** One error for every bad key, so a user fixes them all in one go. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly appEnv: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(formatProblems(`Invalid environment configuration (APP_ENV=${isAppEnv(appEnv) ? appEnv : showValue(appEnv)})`, problems));
  }

  get keys(): string[] {
    return [...new Set(this.problems.map((p) => p.key))];
  }
}

/** `<title>, N problems:` then one `- KEY: reason` line and one `fix:` line per problem. */
export function formatProblems(title: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.key}: ${p.reason}\n      fix: ${p.hint}`);
  return `${title}, ${count}:\n${lines.join('\n')}`;
}
