import { isDeepStrictEqual } from 'node:util';
import { summarizePod, hopeless, type Diagnostics, type PodSummary } from './diagnostics.js';
import { apiMessage } from './apply.js';
import { systemClock, type Clock } from './clock.js';
import { signalName } from './interrupted.js';
import { answerBy } from './kube-deadline.js';
import { asEvent, asPod, type KubeApi, type PodView } from './kube.js';
import type { KubeObject } from '@llmops-rag/contract';
import type { Output } from './types.js';

const REVISION = 'deployment.kubernetes.io/revision';
const TEMPLATE_HASH = 'pod-template-hash';

export interface RolloutTarget {
  namespace: string;
  deployment: string;
  /** Label selector of its pods, e.g. `app=rag-api`. */
  selector: string;
  container: string;
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  /** The command that loads the image into this cluster, for the ErrImageNeverPull fix. */
  imageLoadHint?: string;
  /** Stops the wait at once (the result says `interrupted`): a Ctrl-C/SIGTERM of the command, its reason the signal's name. */
  signal?: AbortSignal;
  /** Injected for tests (the fake cluster's virtual clock). */
  clock?: Clock;
}

/**
 * `gone`: the Deployment was deleted (or is being deleted, or its namespace is) while the wait ran: someone
 * else removed it, and nothing should bring it back.
 */
export type RolloutResult =
  | { ok: true; detail: string; pods: PodSummary[] }
  /** `interrupted`: the wait was stopped by `signal`, not by what the pods did. */
  | { ok: false; diagnostics: Diagnostics; gone?: true; interrupted?: true };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface Template {
  metadata?: { labels?: Record<string, string> };
}

interface DeploymentView {
  metadata: { name?: string; uid?: string; generation?: number; annotations?: Record<string, string>; deletionTimestamp?: string | Date };
  spec?: { replicas?: number; template?: Template };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

interface ReplicaSetView {
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid?: string }[];
    deletionTimestamp?: string | Date;
  };
  spec?: { template?: Template };
  status?: { availableReplicas?: number };
}

/** How long the one look after the deadline may take, and the diagnostics after a failure. */
export const LAST_LOOK_MS = 5000;
/** A progress line at least this often while waiting. */
const PROGRESS_EVERY_MS = 10_000;

function observed(deployment: DeploymentView): boolean {
  return (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0);
}

/** A template without the label the controller adds to its ReplicaSet's copy (what its EqualIgnoreHash compares). */
function withoutHash(template: Template | undefined): unknown {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[TEMPLATE_HASH];
  return copy;
}

/**
 * The Deployment's current ReplicaSet: owned by it, with its pod template (ignoring `pod-template-hash`), as
 * the controller itself finds it; failing that (a template the API server reports differently), once the
 * controller observed the latest spec, the one of the Deployment's revision. Undefined while it has not made it yet.
 */
export function newReplicaSet(deployment: DeploymentView, replicaSets: readonly ReplicaSetView[]): ReplicaSetView | undefined {
  const owned = replicaSets.filter(
    (rs) =>
      !rs.metadata.deletionTimestamp &&
      (rs.metadata.ownerReferences ?? []).some(
        (o) => o.kind === 'Deployment' && (deployment.metadata.uid && o.uid ? o.uid === deployment.metadata.uid : o.name === deployment.metadata.name),
      ),
  );
  const template = withoutHash(deployment.spec?.template);
  const byTemplate = owned.find((rs) => rs.spec?.template && isDeepStrictEqual(withoutHash(rs.spec.template), template));
  if (byTemplate || !observed(deployment)) return byTemplate;
  const revision = deployment.metadata.annotations?.[REVISION];
  return revision ? owned.find((rs) => rs.metadata.annotations?.[REVISION] === revision) : undefined;
}

/**
 * kubectl rollout status's rule: the controller observed the latest spec, every replica is updated, no old
 * replica is left (pending termination), every updated replica is available, and no ProgressDeadlineExceeded.
 * Stricter in one way: "available" counts only the new ReplicaSet's pods (the Deployment's own
 * availableReplicas includes old pods still serving while the new one is ContainerCreating).
 */
export function rolloutProgress(
  deployment: DeploymentView,
  current: ReplicaSetView | undefined,
): { done: boolean; summary: string; deadlineExceeded: boolean } {
  const want = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  if (!observed(deployment)) {
    return { done: false, deadlineExceeded: false, summary: `waiting for the controller to observe generation ${deployment.metadata.generation ?? '?'}` };
  }
  const updated = s.updatedReplicas ?? 0;
  const available = current?.status?.availableReplicas ?? 0;
  const total = s.replicas ?? 0;
  const done = current !== undefined && updated >= want && total <= updated && (s.availableReplicas ?? 0) >= updated && available >= want;
  const deadlineExceeded = (s.conditions ?? []).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
  const old = total > updated ? `, ${total - updated} old pending termination` : '';
  return { done, deadlineExceeded, summary: `${updated}/${want} updated, ${available}/${want} available${old}` };
}

/** What one look at the rollout read. */
interface Look {
  deployment: DeploymentView | undefined;
  namespaceTerminating: boolean;
  replicaSets: ReplicaSetView[];
  pods: PodView[];
}

/** The look judged: kubectl's progress, and the pods of the current ReplicaSet (never another's, never one being deleted). */
interface Judged {
  progress: ReturnType<typeof rolloutProgress>;
  done: boolean;
  line: string;
  /** A pod of the current ReplicaSet in a state waiting cannot fix. */
  stuck?: { pod: string; why: string };
  current: PodSummary[];
  all: PodSummary[];
}

async function look(api: KubeApi, target: RolloutTarget): Promise<Look> {
  const [deployment, namespace, replicaSets, pods] = await Promise.all([
    api.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: target.deployment, namespace: target.namespace }),
    // Only to notice a namespace being deleted: a user who may not read Namespaces still gets the rollout judged.
    api.get({ apiVersion: 'v1', kind: 'Namespace', name: target.namespace }).catch(() => undefined),
    api.list('apps/v1', 'ReplicaSet', target.namespace, target.selector),
    api.list('v1', 'Pod', target.namespace, target.selector),
  ]);
  return {
    deployment: deployment as unknown as DeploymentView | undefined,
    namespaceTerminating: Boolean(namespace?.metadata.deletionTimestamp),
    replicaSets: replicaSets as unknown as ReplicaSetView[],
    pods: pods.map(asPod),
  };
}

function judge(seen: Look & { deployment: DeploymentView }): Judged {
  const current = newReplicaSet(seen.deployment, seen.replicaSets);
  const progress = rolloutProgress(seen.deployment, current);
  const hash = current?.metadata.labels?.[TEMPLATE_HASH];
  const terminating = (p: PodView) => Boolean(p.metadata.deletionTimestamp);
  const isCurrent = (p: PodView) => hash !== undefined && p.metadata.labels?.[TEMPLATE_HASH] === hash && !terminating(p);
  const mine = seen.pods.filter(isCurrent).map(summarizePod);
  const podLine = seen.pods
    .map((p) => {
      const s = summarizePod(p);
      const tag = terminating(p) ? ' (terminating)' : hash !== undefined && !isCurrent(p) ? ' (old)' : '';
      return `${s.name} ${s.phase}${s.reasons.length ? `/${s.reasons.join(',')}` : ''}${s.ready ? ' Ready' : ''}${tag}`;
    })
    .join('; ');
  const stuck = mine.map((p) => ({ pod: p.name, why: hopeless(p) })).find((x): x is { pod: string; why: string } => x.why !== undefined);
  return {
    progress,
    done: progress.done && mine.some((p) => p.ready),
    line: `  rollout: ${progress.summary}${podLine ? ` — ${podLine}` : ''}`,
    ...(stuck ? { stuck } : {}),
    current: mine,
    all: seen.pods.filter((p) => !terminating(p)).map(summarizePod),
  };
}

/** An error that waiting will not fix (refused, forbidden, invalid), unlike a timeout or an unavailable server. */
function permanent(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' && code >= 400 && code < 500 && ![404, 408, 429].includes(code);
}

/**
 * Waits for the Deployment's rollout as `kubectl rollout status` judges it, printing progress when it changes
 * and at least every 10s (also while the API server does not answer). Ends early when a pod of the current
 * ReplicaSet is in a state waiting cannot fix (ErrImageNeverPull, repeated CrashLoopBackOff…), or when the
 * Deployment was deleted under it (`gone`). `timeoutMs` bounds the wait even while requests hang; after it,
 * one last look (at most LAST_LOOK_MS) decides, so a rollout that completed at the deadline is a success.
 * On failure returns the diagnostics a person would collect by hand.
 */
export async function waitForRollout(api: KubeApi, target: RolloutTarget, options: WaitOptions, out: Output): Promise<RolloutResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;
  let lastLine = '';
  let lastPrinted = started;
  let silentSince: number | undefined;
  let lastError: unknown;
  let last: Judged | undefined;
  const print = (line: string) => {
    out.line(`${line} (${seconds(clock.now() - started)})`);
    lastLine = line;
    lastPrinted = clock.now();
  };
  const fail = async (reason: string, focus?: readonly PodSummary[]): Promise<RolloutResult> => ({
    ok: false,
    diagnostics: await collectDiagnostics(api, target, reason, options.imageLoadHint, { clock, focus }),
  });

  /** One look, bounded by `until`: the judgement, or what ended the wait, or undefined when there was no answer. */
  const observe = async (until: number): Promise<{ judged: Judged } | { end: RolloutResult } | undefined> => {
    const issued = clock.now();
    const answer = await answerBy(
      look(api, target),
      until,
      clock,
      () => {
        silentSince ??= issued;
        if (clock.now() - lastPrinted >= PROGRESS_EVERY_MS) print(`  rollout: API server not answering for ${seconds(clock.now() - silentSince)}`);
      },
      options.signal,
    );
    if (!answer) return undefined;
    if ('error' in answer) {
      lastError = answer.error;
      silentSince = undefined;
      return permanent(answer.error) ? { end: await fail(`reading the rollout failed: ${apiMessage(answer.error)}`) } : undefined;
    }
    silentSince = undefined;
    lastError = undefined;
    const seen = answer.value;
    const gone =
      !seen.deployment || seen.deployment.metadata.deletionTimestamp ? 'deleted' : seen.namespaceTerminating ? 'deleted with its namespace' : undefined;
    if (gone || !seen.deployment) {
      const reason = `deployment/${target.deployment} was ${gone ?? 'deleted'} while this deploy waited (by a teardown or by hand)`;
      return { end: { ok: false, gone: true, diagnostics: { reason, pods: [], events: [], namespace: target.namespace } } };
    }
    const judged = judge({ ...seen, deployment: seen.deployment });
    last = judged;
    if (judged.done) return { end: { ok: true, detail: judged.progress.summary, pods: judged.all } };
    if (judged.line !== lastLine || clock.now() - lastPrinted >= PROGRESS_EVERY_MS) print(judged.line);
    if (judged.stuck) return { end: await fail(`pod ${judged.stuck.pod}: ${judged.stuck.why}`, judged.current) };
    if (judged.progress.deadlineExceeded) return { end: await fail('the Deployment reports ProgressDeadlineExceeded', judged.current) };
    return { judged };
  };

  const interrupted = (signal: AbortSignal): RolloutResult => {
    const summary = last ? last.progress.summary : 'not looked at yet';
    const reason = `interrupted by ${signalName(signal)} during the rollout wait (${summary})`;
    return { ok: false, interrupted: true, diagnostics: { reason, pods: [], events: [], namespace: target.namespace } };
  };

  while (clock.now() < deadline) {
    if (options.signal?.aborted) return interrupted(options.signal);
    const result = await observe(deadline);
    if (options.signal?.aborted) return interrupted(options.signal);
    if (result && 'end' in result) return result.end;
    if (clock.now() >= deadline) break;
    await clock.sleep(options.pollMs ?? 1000, options.signal);
  }
  if (options.signal?.aborted) return interrupted(options.signal);
  // The deadline passed: one last look (bounded too) before calling it a failure.
  const final = await observe(clock.now() + LAST_LOOK_MS);
  if (final && 'end' in final) return final.end;
  const after = `timed out after ${seconds(options.timeoutMs)}`;
  if (final) return fail(`${after} (${final.judged.progress.summary})`, final.judged.current);
  const seen = last ? ` (last seen: ${last.progress.summary})` : '';
  if (silentSince === undefined) return fail(`${after}: the last read failed: ${apiMessage(lastError)}${seen}`, last?.current);
  // Still no answer: asking for pods, events and logs would only wait longer.
  const reason = `${after}: the API server has not answered for ${seconds(clock.now() - silentSince)}${seen}`;
  return {
    ok: false,
    diagnostics: { reason, pods: [], events: [], namespace: target.namespace, unanswered: 'the API server did not answer: pods, events and logs not read' },
  };
}

export async function listPods(api: KubeApi, target: RolloutTarget): Promise<PodView[]> {
  const pods = (await api.list('v1', 'Pod', target.namespace, target.selector)).map(asPod);
  return pods.filter((p) => !p.metadata.deletionTimestamp);
}

/**
 * Pods, the namespace's recent events and the last log lines of the worst pod (of `focus`, the current
 * ReplicaSet's pods, when given). Bounded: what the API server does not answer within LAST_LOOK_MS is left out.
 */
export async function collectDiagnostics(
  api: KubeApi,
  target: RolloutTarget,
  reason: string,
  imageLoadHint?: string,
  options: { clock?: Clock; focus?: readonly PodSummary[] | undefined } = {},
): Promise<Diagnostics> {
  const clock = options.clock ?? systemClock;
  const until = clock.now() + LAST_LOOK_MS;
  const unanswered: string[] = [];
  const read = async <T>(what: string, call: Promise<T>, fallback: (error: unknown) => T): Promise<T> => {
    const answer = await answerBy(call, until, clock);
    if (answer && 'value' in answer) return answer.value;
    if (!answer) unanswered.push(what);
    return fallback(answer?.error);
  };
  const podViews = await read('pods', listPods(api, target), (): PodView[] => []);
  const pods = podViews.map(summarizePod);
  const events = (await read('events', api.list('v1', 'Event', target.namespace), (): KubeObject[] => []))
    .map(asEvent)
    .sort((a, b) => eventTime(a) - eventTime(b))
    .slice(-12);
  const byWorst = (list: readonly PodSummary[]) => [...list].sort((a, b) => b.restarts - a.restarts || Number(a.ready) - Number(b.ready))[0];
  const worst = (options.focus?.length ? byWorst(options.focus) : undefined) ?? byWorst(pods);
  let logs: Diagnostics['logs'];
  if (worst) {
    const previous = worst.restarts > 0;
    const status = podViews.find((p) => p.metadata.name === worst.name)?.status?.containerStatuses?.find((c) => c.name === target.container);
    const waiting = status?.state?.waiting;
    const lines =
      !previous && waiting
        ? // Never started: there are no logs to fetch, and the API would only answer 400 saying so.
          [`(no logs: container ${target.container} has not started: ${waiting.reason ?? 'waiting'}${waiting.message ? ` — ${waiting.message}` : ''})`]
        : await read(
            'logs',
            api.logs(target.namespace, worst.name, target.container, { tailLines: 20, previous }).then((text) => text.split('\n')),
            (error) => [`(no logs: ${error === undefined ? 'the API server did not answer' : apiMessage(error)})`],
          );
    logs = { pod: worst.name, previous, lines: lines.filter((l) => l.trim()).slice(-20) };
  }
  return {
    reason,
    pods,
    events,
    namespace: target.namespace,
    ...(logs ? { logs } : {}),
    ...(imageLoadHint ? { imageLoadHint } : {}),
    ...(unanswered.length ? { unanswered: `the API server did not answer within ${LAST_LOOK_MS / 1000}s: ${unanswered.join(', ')} not read` } : {}),
  };
}

function eventTime(e: ReturnType<typeof asEvent>): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}
