import { UsageError } from './flags.js';
import { flagsNxDropped } from './nx-dropped-flags.js';
import { exitCodeForSignal, watchInterrupts, type InterruptOptions, type StopSignal } from './interrupt.js';
import { EXIT, OUTCOME_FILE_FLAG, outcomeFileIn, outcomeLine, writeOutcomeFile, type Outcome } from './outcome.js';
import { RefusedError } from './refusal.js';

/**
 * Runs a CLI's main and maps its outcome to the exit codes (EXIT): a
 * RefusedError (e.g. the deploy's PreflightError) means nothing was changed,
 * a UsageError is a flag problem. The last line on stderr is always the
 * outcome (`deploy-outcome: refused exit=3`), also written as JSON to
 * --outcome-file when given. `main` returns the exit code, or an outcome that names it and says why.
 *
 * With `interruptible`, SIGINT/SIGTERM abort `context.signal` instead of ending the process (main stops at a safe
 * point and returns, usually `interruptedExit(context)`); a second signal ends it at once, with the outcome line.
 */
export function runCli(
  command: string,
  main: (argv: readonly string[], context: CliContext) => Promise<number | Omit<Outcome, 'command'>>,
  argv: readonly string[] = process.argv.slice(2),
  options: { interruptible?: InterruptOptions } = {},
): void {
  const finish = (exitCode: number, reason?: string, name?: string) => {
    const outcome: Outcome = { command, exitCode, ...(name ? { name } : {}), ...(reason ? { reason } : {}) };
    const file = outcomeFileIn([...flagsNxDropped({ [OUTCOME_FILE_FLAG]: { type: 'string' } }), ...argv]);
    if (file) {
      try {
        writeOutcomeFile(file, outcome);
      } catch (error) {
        console.error(`could not write --${OUTCOME_FILE_FLAG}=${file}: ${(error as Error).message}`);
      }
    }
    console.error(outcomeLine(outcome));
    process.exit(exitCode);
  };
  const interruption = options.interruptible
    ? watchInterrupts(options.interruptible, (signal, reason) => finish(exitCodeForSignal(signal), reason))
    : undefined;
  const context: CliContext = { signal: interruption?.signal ?? new AbortController().signal, interrupted: () => interruption?.received };
  main(argv, context).then(
    (result) => (typeof result === 'number' ? finish(result) : finish(result.exitCode, result.reason, result.name)),
    (error: unknown) => {
      if (error instanceof RefusedError) {
        console.error(`\n${command} refused before changing anything:\n${error.message}`);
        return finish(EXIT.preflight, error.problems.map((p) => `${p.thing}: ${p.problem}`).join('; '));
      }
      if (error instanceof UsageError) {
        console.error(error.message);
        return finish(EXIT.usage, error.message.split('\n')[0]);
      }
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      return finish(EXIT.failed, error instanceof Error ? error.message.split('\n')[0] : String(error));
    },
  );
}

export interface CliContext {
  /** Aborted at the first SIGINT/SIGTERM when the command is interruptible; never otherwise. */
  signal: AbortSignal;
  /** The signal that interrupted the command, if one did. */
  interrupted(): StopSignal | undefined;
}

/** The exit code of a run a signal stopped (130 SIGINT, 143 SIGTERM), or `otherwise` (an exit code or an outcome). */
export function interruptedExit<T extends number | Omit<Outcome, 'command'>>(context: CliContext, otherwise: T): number | T {
  const signal = context.interrupted();
  return signal ? exitCodeForSignal(signal) : otherwise;
}
