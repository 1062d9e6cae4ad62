/** The ConfigMap key holding the app's drain (libs/config: SHUTDOWN_DRAIN_SECONDS). */
export const DRAIN_KEY = 'SHUTDOWN_DRAIN_SECONDS';

/**
 * Seconds the app needs after the drain: close the listener, finish in-flight
 * requests, exit. The kubelet SIGKILLs at drain + this budget.
 */
export const SHUTDOWN_BUDGET_SECONDS = 10;

export function drainSeconds(configMapData: Readonly<Record<string, string>>): number {
  const raw = configMapData[DRAIN_KEY];
  const value = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`ConfigMap data needs ${DRAIN_KEY} as whole seconds (got ${JSON.stringify(raw)}); the pod's grace period is derived from it`);
  }
  return value;
}

/**
 * No preStop hook on purpose: the app drains in-process (SIGTERM → readiness
 * 503 while it keeps serving for the drain, then closes), so a preStop sleep
 * would only delay SIGTERM and double the drain. The grace period covers the
 * drain plus the shutdown budget.
 */
export function terminationGracePeriodSeconds(drain: number): number {
  return drain + SHUTDOWN_BUDGET_SECONDS;
}
