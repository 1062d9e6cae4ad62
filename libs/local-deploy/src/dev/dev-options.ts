import type { CheckResult } from '../checklist.js';
import type { DeployOptions } from '../deploy.js';

export interface DevOptions {
  /** The deploy each round runs (the first with the full verify, the rest with `verify: false`). */
  deploy: DeployOptions;
  /** Local port of the forward on 127.0.0.1 (the spec's 8080; 0 picks a free one). */
  port: number;
  /** Ends the loop (Ctrl-C): the watcher, the forward and the log streams stop, an in-flight deploy finishes first. */
  signal: AbortSignal;
  /** Saves closer together than this are one rebuild (default 300 ms). */
  debounceMs?: number;
  /** How long to poll through the forward for the new pod's answer after a deploy (default 60 s). */
  answerTimeoutMs?: number;
  /** How often the log streams look for pods that became Ready (default 2 s). */
  logSyncMs?: number;
}

export interface DevResult {
  ok: boolean;
  /** Rebuilds run after the first deploy, and how many of them failed. */
  rebuilds: number;
  failedRebuilds: number;
}

/** The first failed step of a deploy: `Build image (nx run rag-api:docker): \`nx run rag-api:docker\` failed (exit 1)`. */
export function failedStep(steps: readonly CheckResult[]): string {
  const failed = steps.find((s) => !s.ok && !s.skipped);
  return failed ? `${failed.name}: ${failed.detail ?? 'failed'}` : 'the deploy failed before its checklist';
}
