import { Checklist } from './checklist.js';
import type { KubeApi } from './kube.js';
import type { Output } from './types.js';
import type { Clock } from './clock.js';
import { listPods, type RolloutTarget } from './rollout.js';
import { checkPodUsage, USAGE_POLL_MS, USAGE_WAIT_MS } from './verify/usage-check.js';
import { HEALTH_PATH, HEALTH_PATHS, HEALTH_STATUS, type KubeObject } from '@llmops-rag/contract';

type Json = Record<string, unknown>;

/** The spec's Part 3 endpoints and what their bodies must say (problem text, or undefined when fine). */
export const ENDPOINT_CHECKS: readonly { path: string; check: (body: Json) => string | undefined }[] = [
  {
    path: HEALTH_PATH,
    check: (b) =>
      b.status !== HEALTH_STATUS.health
        ? `status is ${JSON.stringify(b.status)}, want "${HEALTH_STATUS.health}"`
        : typeof b.timestamp !== 'string' || Number.isNaN(Date.parse(b.timestamp))
          ? 'timestamp is not an ISO date'
          : undefined,
  },
  {
    path: HEALTH_PATHS.ready,
    check: (b) => {
      if (b.status !== HEALTH_STATUS.ready) return `status is ${JSON.stringify(b.status)}, want "${HEALTH_STATUS.ready}"`;
      const checks = (b.checks ?? {}) as Record<string, unknown>;
      if (checks.api !== 'ok') return `checks.api is ${JSON.stringify(checks.api)}, want "ok"`;
      const failing = Object.entries(checks).filter(([, v]) => v !== 'ok');
      return failing.length ? `checks not ok: ${failing.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : undefined;
    },
  },
  {
    path: HEALTH_PATHS.live,
    check: (b) => (b.status === HEALTH_STATUS.live ? undefined : `status is ${JSON.stringify(b.status)}, want "${HEALTH_STATUS.live}"`),
  },
  {
    path: '/',
    check: (b) =>
      b.message !== 'Welcome to LLMOps RAG Pipeline'
        ? `message is ${JSON.stringify(b.message)}`
        : typeof b.version !== 'string' || !/^\d+\.\d+\.\d+/.test(b.version)
          ? `version is ${JSON.stringify(b.version)}, want a semver`
          : b.docs !== '/docs'
            ? `docs is ${JSON.stringify(b.docs)}, want "/docs"`
            : undefined,
  },
];

/** A short rendering of a body for the checklist, e.g. `{"status":"alive"}`. */
export function bodyDetail(body: Json): string {
  const text = JSON.stringify(body);
  return text.length > 90 ? `${text.slice(0, 89)}…` : text;
}

export interface VerifyInputs {
  target: RolloutTarget;
  service: string;
  configMap: KubeObject;
  secretName: string;
  /** The keys `secretKeys()` says the Secret must have. */
  secretKeys: readonly string[];
  /** A line the app logs once it listens. */
  startupLine: string;
  fetchTimeoutMs?: number;
  /** How long to wait for metrics-server's first sample of the pod (default 2 min; the deploy keeps it within --timeout). */
  usageWaitMs?: number;
  usagePollMs?: number;
  /** What the usage step's wait sleeps on (tests: the fake cluster's clock). */
  clock?: Clock | undefined;
  /** Progress lines of the usage step's wait. */
  out?: Output;
}

/**
 * The spec's verification checklist, automated: pods Running and Ready; the
 * Service port-forwarded and its four endpoints answering the right bodies;
 * the ConfigMap values in the container's env; the Secret present (keys only);
 * the startup line in the logs; last, the pod's CPU and memory beside its requests and limits (⚠ when memory
 * needs a look; skipped with the fix where the cluster has no metrics API). Each becomes a ✓/✗ line with its duration.
 */
export async function verifyDeployment(api: KubeApi, inputs: VerifyInputs, checklist: Checklist): Promise<void> {
  const { target } = inputs;
  const pod = await soft(checklist, 'Pods Running and Ready', async () => {
    const pods = await listPods(api, target);
    const ready = pods.filter(
      (p) => p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.ready) && (p.status.containerStatuses ?? []).length > 0,
    );
    if (ready.length === 0 || ready.length !== pods.length) {
      throw new Error(`${ready.length}/${pods.length} pods Running and Ready (${pods.map((p) => `${p.metadata.name}=${p.status?.phase}`).join(', ')})`);
    }
    return { detail: `${ready.length}/${pods.length} Running, Ready (${ready.map((p) => p.metadata.name).join(', ')})`, value: ready[0]?.metadata.name };
  });

  if (pod) await checkEndpoints(api, inputs, pod, checklist);
  else for (const { path } of ENDPOINT_CHECKS) checklist.record({ name: `GET ${path}`, ok: false, durationMs: 0, detail: 'no Ready pod to reach' });

  await soft(checklist, 'ConfigMap values in container env', async () => {
    if (!pod) throw new Error('no Ready pod to inspect');
    const data = (inputs.configMap.data ?? {}) as Record<string, string>;
    const env = await containerEnv(api, target, pod);
    const wrong = Object.entries(data).filter(([k, v]) => env[k] !== v);
    if (wrong.length)
      throw new Error(`env differs from ${inputs.configMap.metadata.name}: ${wrong.map(([k, v]) => `${k}=${env[k] ?? '(unset)'} want ${v}`).join(', ')}`);
    const shown = ['APP_ENV', 'AWS_REGION', 'DOCUMENTS_BUCKET'].filter((k) => k in data).map((k) => `${k}=${data[k]}`);
    return { detail: `${Object.keys(data).length} keys match (${shown.join(', ')})`, value: undefined };
  });

  await soft(checklist, 'Secret present (keys only)', async () => {
    const secret = await api.get({ apiVersion: 'v1', kind: 'Secret', name: inputs.secretName, namespace: target.namespace });
    if (!secret) throw new Error(`Secret ${inputs.secretName} not found in ${target.namespace}`);
    const keys = Object.keys((secret.data ?? {}) as Record<string, string>).sort();
    const missing = inputs.secretKeys.filter((k) => !keys.includes(k));
    if (missing.length) throw new Error(`Secret ${inputs.secretName} lacks ${missing.join(', ')} (has ${keys.join(', ') || 'nothing'})`);
    return { detail: `${inputs.secretName}: ${keys.length} item${keys.length === 1 ? '' : 's'} (${keys.join(', ')})`, value: undefined };
  });

  await soft(checklist, 'Startup line in logs', async () => {
    if (!pod) throw new Error('no Ready pod to read');
    const text = await api.logs(target.namespace, pod, target.container, { tailLines: 200 });
    if (!text.includes(inputs.startupLine)) throw new Error(`"${inputs.startupLine}" not in the last 200 log lines of ${pod}`);
    return { detail: `"${inputs.startupLine}"`, value: undefined };
  });

  // Last: the longer the pod has run, the likelier metrics-server has scraped it already.
  await checkPodUsage(api, target, pod, checklist, {
    waitMs: inputs.usageWaitMs ?? USAGE_WAIT_MS,
    pollMs: inputs.usagePollMs ?? USAGE_POLL_MS,
    ...(inputs.out ? { out: inputs.out } : {}),
    clock: inputs.clock,
  });
}

async function checkEndpoints(api: KubeApi, inputs: VerifyInputs, pod: string, checklist: Checklist): Promise<void> {
  const { target } = inputs;
  const forwarded = await soft(checklist, `Port-forward service/${inputs.service}`, async () => {
    const port = await serviceTargetPort(api, target, inputs.service, pod);
    const handle = await api.portForward(target.namespace, pod, port);
    return { detail: `127.0.0.1:${handle.localPort} → ${pod}:${port}`, value: handle };
  });
  if (!forwarded) {
    for (const { path } of ENDPOINT_CHECKS) checklist.record({ name: `GET ${path}`, ok: false, durationMs: 0, detail: 'no port-forward' });
    return;
  }
  try {
    for (const { path, check } of ENDPOINT_CHECKS) {
      await soft(checklist, `GET ${path}`, async () => {
        const body = await getJson(`http://127.0.0.1:${forwarded.localPort}${path}`, inputs.fetchTimeoutMs ?? 5000);
        const problem = check(body);
        if (problem) throw new Error(`${problem}: ${bodyDetail(body)}`);
        return { detail: bodyDetail(body), value: undefined };
      });
    }
  } finally {
    await forwarded.close();
  }
}

/** Service port 80 → the pod's port number (a named targetPort is resolved from the pod's containers). */
async function serviceTargetPort(api: KubeApi, target: RolloutTarget, service: string, pod: string): Promise<number> {
  const svc = await api.get({ apiVersion: 'v1', kind: 'Service', name: service, namespace: target.namespace });
  if (!svc) throw new Error(`Service ${service} not found in ${target.namespace}`);
  const ports = (svc.spec as { ports?: { port: number; targetPort?: number | string }[] } | undefined)?.ports ?? [];
  const port = ports.find((p) => p.port === 80) ?? ports[0];
  if (!port) throw new Error(`Service ${service} has no ports`);
  const targetPort = port.targetPort ?? port.port;
  if (typeof targetPort === 'number') return targetPort;
  if (/^\d+$/.test(targetPort)) return Number(targetPort);
  const podObject = await api.get({ apiVersion: 'v1', kind: 'Pod', name: pod, namespace: target.namespace });
  const containers = (podObject?.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] } | undefined)?.containers ?? [];
  const named = containers.flatMap((c) => c.ports ?? []).find((p) => p.name === targetPort);
  if (!named) throw new Error(`Service ${service} targets port "${targetPort}", which pod ${pod} does not name`);
  return named.containerPort;
}

/** The container's environment: `env` inside it, or node itself when the image has no shell tools (distroless). */
async function containerEnv(api: KubeApi, target: RolloutTarget, pod: string): Promise<Record<string, string>> {
  const printEnv = 'for (const [k, v] of Object.entries(process.env)) console.log(`${k}=${v}`)';
  // `env` where the image has coreutils; node otherwise (distroless keeps it at /nodejs/bin/node, off PATH).
  const attempts: string[][] = [['env'], ['/nodejs/bin/node', '-e', printEnv], ['node', '-e', printEnv]];
  const errors: string[] = [];
  for (const command of attempts) {
    try {
      const result = await api.exec(target.namespace, pod, target.container, command);
      if (result.ok && result.stdout.includes('=')) return parseEnvLines(result.stdout);
      errors.push(`${command[0]}: ${result.stderr.trim().split('\n')[0] || 'failed'}`);
    } catch (error) {
      errors.push(`${command[0]}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`could not read the container env (${errors.join('; ')})`);
}

export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1).replace(/\r$/, '');
  }
  return env;
}

async function getJson(url: string, timeoutMs: number): Promise<Json> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 120)}`);
      return JSON.parse(text) as Json;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/** Runs a check; a failure is recorded as ✗ and yields undefined so the remaining checks still run. */
async function soft<T>(checklist: Checklist, name: string, step: () => Promise<{ detail?: string; value: T }>): Promise<T | undefined> {
  try {
    return await checklist.step(name, step);
  } catch {
    return undefined;
  }
}
