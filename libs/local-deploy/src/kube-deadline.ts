import { systemClock, type Clock } from './clock.js';
import { KubeApiError, type KubeApi } from './kube.js';
import { describeRef } from './types.js';

/** How long one API call may go unanswered (kubectl's --request-timeout, which has none by default). */
export const CALL_TIMEOUT_MS = 30_000;

/** A call the API server did not answer in time (stopped, overloaded or unreachable). */
export class ApiNotAnswering extends KubeApiError {
  constructor(call: string, ms: number) {
    super(0, `the API server did not answer ${call} within ${Math.round(ms / 1000)}s`, 'Timeout');
    this.name = 'ApiNotAnswering';
  }
}

/**
 * The call's answer, its error, or undefined when neither came before `until` (on `clock`) or `signal` aborted
 * first; `onWaiting` is called about every second meanwhile. The call itself is not aborted: its late answer is dropped.
 */
export async function answerBy<T>(
  call: Promise<T>,
  until: number,
  clock: Clock,
  onWaiting: () => void = () => undefined,
  signal?: AbortSignal,
): Promise<{ value: T } | { error: unknown } | undefined> {
  const settled = call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  while (clock.now() < until && !signal?.aborted) {
    const stop = new AbortController();
    const wake = clock.sleep(Math.min(until - clock.now(), 1000), signal ? AbortSignal.any([stop.signal, signal]) : stop.signal).then(() => undefined);
    const result = await Promise.race([settled, wake]);
    stop.abort();
    if (result) return result;
    if (clock.now() < until && !signal?.aborted) onWaiting();
  }
  return undefined;
}

/**
 * `api` where no call waits longer than `callTimeoutMs` for the API server: one that does rejects with
 * ApiNotAnswering naming it. The live commands use it (src/live-deps.ts); tests put it over the fake API server,
 * whose requests can hang, with the fake's clock.
 */
export function withDeadlines(api: KubeApi, options: { callTimeoutMs?: number; clock?: Clock } = {}): KubeApi {
  const clock = options.clock ?? systemClock;
  const ms = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const bounded = async <T>(what: string, call: Promise<T>, budget = ms): Promise<T> => {
    const answer = await answerBy(call, clock.now() + budget, clock);
    if (!answer) throw new ApiNotAnswering(what, budget);
    if ('error' in answer) throw answer.error;
    return answer.value;
  };
  return {
    get: (ref) => bounded(`get ${describeRef(ref)}`, api.get(ref)),
    apply: (object, manager, applyOptions) => bounded(`apply ${object.kind}/${object.metadata.name}`, api.apply(object, manager, applyOptions)),
    list: (apiVersion, kind, namespace, selector) => bounded(`list ${kind}`, api.list(apiVersion, kind, namespace, selector)),
    // Discovery and a list per kind: many requests, so four times one call's budget.
    listNamespace: (namespace) => bounded(`list namespace ${namespace}`, api.listNamespace(namespace), ms * 4),
    create: (object, manager) => bounded(`create ${object.kind}/${object.metadata.name}`, api.create(object, manager)),
    replace: (object, manager) => bounded(`update ${object.kind}/${object.metadata.name}`, api.replace(object, manager)),
    delete: (ref, deleteOptions) => bounded(`delete ${describeRef(ref)}`, api.delete(ref, deleteOptions)),
    logs: (namespace, pod, container, logOptions) => bounded(`logs of pod/${pod}`, api.logs(namespace, pod, container, logOptions)),
    exec: (namespace, pod, container, command) => bounded(`exec in pod/${pod}`, api.exec(namespace, pod, container, command)),
    portForward: (namespace, pod, port) => bounded(`port-forward to pod/${pod}`, api.portForward(namespace, pod, port)),
    followLogs: (namespace, pod, container, onLine, logOptions) =>
      bounded(`logs -f of pod/${pod}`, api.followLogs(namespace, pod, container, onLine, logOptions)),
  };
}
