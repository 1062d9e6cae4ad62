import { EXIT, type Outcome } from '@llmops-rag/platform';
import { PreflightError } from '../preflight-error.js';

/**
 * Another operation holds the namespace's lock (or the namespace is being deleted) and did not let go within
 * the wait: nothing was changed. A refusal (exit 3) whose outcome is named `locked`.
 */
export class LockBusyError extends PreflightError {
  constructor(
    readonly namespace: string,
    readonly heldBy: string,
    problem: string,
    fix: string,
  ) {
    super([{ thing: `lock on namespace ${namespace}`, problem, fix }]);
    this.name = 'LockBusyError';
  }
}

/** The operation's Lease was taken over (or deleted) while it ran: it stops changing the namespace. */
export class LockLostError extends Error {
  constructor(
    readonly namespace: string,
    readonly why: string,
  ) {
    super(`lost the lock on namespace ${namespace}: ${why}; stopped here and changed nothing more (whoever holds the lock now owns the namespace)`);
    this.name = 'LockLostError';
  }
}

/**
 * A command's exit code, with a LockBusyError as its own outcome: `deploy-outcome: locked exit=3` (runCli would
 * say `refused`, which is true too, but a script that retries later wants to tell the two apart).
 */
export async function exitWithLockOutcome(
  command: string,
  run: Promise<{ ok: boolean }>,
  stderr: (text: string) => void = console.error,
): Promise<number | Omit<Outcome, 'command'>> {
  try {
    return (await run).ok ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (!(error instanceof LockBusyError)) throw error;
    stderr(`\n${command} refused before changing anything:\n${error.message}`);
    return { exitCode: EXIT.preflight, name: 'locked', reason: `lock on namespace ${error.namespace}: held by ${error.heldBy}` };
  }
}
