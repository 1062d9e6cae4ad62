import { RefusedError, type Problem } from '@llmops-rag/platform';

export type { Problem };

/** The deploy or teardown refused before changing anything (tools, cluster, context, .env): runCli prints it and exits 3. */
export class PreflightError extends RefusedError {
  constructor(problems: readonly Problem[]) {
    super(problems);
    this.name = 'PreflightError';
  }
}
