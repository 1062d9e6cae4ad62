import { request } from 'node:http';
import { formatDuration, type CheckResult } from '../checklist.js';
import type { PodForwarder } from './forwarder.js';

/** Where a loop's time went: the deploy's own steps, grouped into the loop's stages. */
const STAGES: readonly { stage: string; match: RegExp }[] = [
  { stage: 'bundle', match: /^Bundle/ },
  { stage: 'build', match: /^Build image/ },
  { stage: 'synth', match: /^Synth manifests/ },
  { stage: 'load', match: /^Image in cluster/ },
  { stage: 'apply', match: /^(Apply|Prune|Context default namespace|Secret from)/ },
  { stage: 'rollout', match: /^Rollout of / },
];

export interface StageTime {
  stage: string;
  ms: number;
}

/**
 * save → answering as stages: `wait` (debounce, and a rebuild running before this one), the deploy's steps by stage,
 * `other` (its preflight and whatever no stage claims), then `answering` (the first answer from the new pod through the forward).
 */
export function loopStages(
  times: { savedAt: number; deployStartedAt: number; deployEndedAt: number; answeredAt?: number },
  steps: readonly CheckResult[],
): StageTime[] {
  const stages: StageTime[] = [{ stage: 'wait', ms: times.deployStartedAt - times.savedAt }];
  let claimed = 0;
  for (const { stage, match } of STAGES) {
    const ms = steps.filter((s) => !s.skipped && match.test(s.name)).reduce((sum, s) => sum + s.durationMs, 0);
    claimed += ms;
    const existing = stages.find((s) => s.stage === stage);
    if (existing) existing.ms += ms;
    else stages.push({ stage, ms });
  }
  stages.push({ stage: 'other', ms: Math.max(0, times.deployEndedAt - times.deployStartedAt - claimed) });
  if (times.answeredAt !== undefined) stages.push({ stage: 'answering', ms: times.answeredAt - times.deployEndedAt });
  return stages;
}

/** `build 3.1s · load 1.2s · …` */
export function formatStages(stages: readonly StageTime[]): string {
  return stages.map((s) => `${s.stage} ${formatDuration(s.ms)}`).join(' · ');
}

export interface Answer {
  status: number;
  pod: string;
}

/** One GET through the forward, and the pod the forward sent it to. */
export function getThroughForward(forwarder: PodForwarder, path: string, timeoutMs = 2000): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: forwarder.port, path, agent: false, timeout: timeoutMs }, (res) => {
      // The connection is still open here, so the forward still knows which pod it went to.
      const pod = res.socket.localPort !== undefined ? forwarder.podFor(res.socket.localPort) : undefined;
      res.resume();
      res.on('end', () => resolve(pod ? { status: res.statusCode ?? 0, pod } : undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Polls `path` through the forward until a 2xx comes from a pod that was not serving before the deploy (the new
 * code), or `timeoutMs` passes. Returns when it answered, or undefined.
 */
export async function waitForNewPodAnswer(
  forwarder: PodForwarder,
  path: string,
  oldPods: ReadonlySet<string>,
  options: { timeoutMs: number; pollMs?: number },
): Promise<{ at: number; pod: string } | undefined> {
  const deadline = performance.now() + options.timeoutMs;
  while (performance.now() < deadline) {
    const answer = await getThroughForward(forwarder, path);
    if (answer && answer.status >= 200 && answer.status < 300 && !oldPods.has(answer.pod)) return { at: performance.now(), pod: answer.pod };
    await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
  }
  return undefined;
}
