import type { DeployDeps } from '../deploy-options.js';
import type { Output } from '../types.js';

/** Exit codes of `nx run k8s-manifests:diff`, as kubectl diff's: 0 no differences, 1 differences, above 1 the diff itself could not be made. */
export const DIFF_EXIT = { unchanged: 0, changes: 1, usage: 2, refused: 3, failed: 4 } as const;

export interface DiffOptions {
  workspaceRoot: string;
  /** Exactly the context name to compare against although it is not a recognised local cluster. */
  allowContext?: string;
  /** Synth output folder under dist/k8s (`dev`). */
  manifestsProfile?: string;
  /** The .env to read secret values from (default: `.env` at the workspace root), as the deploy's --dotenv. */
  envFile?: string;
}

export interface DiffDeps extends DeployDeps {
  /** Where the unified diffs and the summary go (stdout in the CLI); `out` gets the progress lines (stderr). */
  report: Output;
}

/** What a deploy would do to one object. */
export type DiffAction = 'create' | 'change' | 'prune' | 'unchanged';

export interface ObjectDiff {
  /** `Kind/name`. */
  object: string;
  action: DiffAction;
  /** The unified diff (masked), empty when unchanged. */
  patch: string;
}

export interface DiffResult {
  exitCode: (typeof DIFF_EXIT)[keyof typeof DIFF_EXIT];
  /** The word for the exit code in the outcome line: `unchanged`, `changes` or `failed`. */
  outcome: 'unchanged' | 'changes' | 'failed';
  objects: ObjectDiff[];
  /** Why the diff could not be made (the API server's message), for the outcome file. */
  reason?: string;
}
