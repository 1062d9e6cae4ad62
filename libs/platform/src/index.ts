// The one way each of these is done, for tools/ and every project that runs programs.
export { processRunner, tail, whichOnPath, type Runner, type RunOptions, type RunResult } from './runner.js';
export { dockerEngine, type EngineStatus } from './docker-engine.js';
export { workspaceRoot } from './workspace-root.js';
export { shellQuote } from './shell-quote.js';
// Command plumbing every engine's thin command file uses: strict flags, exit codes, the outcome line and file.
export { parseFlags, parseTimeout, shownFlagValue, UsageError, type FlagFixes } from './cli/flags.js';
export { EXIT, exitCodeOf, OUTCOME_FILE_FLAG, outcomeLine, type Outcome } from './cli/outcome.js';
export { formatProblems, RefusedError, type Problem } from './cli/refusal.js';
export { interruptedExit, runCli, type CliContext } from './cli/run-cli.js';
export { exitCodeForSignal, STOP_SIGNALS, watchInterrupts, type InterruptOptions, type Interruption, type StopSignal } from './cli/interrupt.js';
// Directory output no reader sees half-written, with concurrent writers (synth's profiles, the app bundle).
export { removeDir, replaceDir, stagingDirFor, sweepOrphans } from './replace-dir.js';
