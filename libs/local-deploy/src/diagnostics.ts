import { CONTAINER_PORT, HEALTH_PATHS, IMAGE_ARCHIVE, IMAGE_REPOSITORY } from '@llmops-rag/contract';
import { IMAGE } from './deploy-options.js';
import type { ContainerStatusView, EventView, PodView } from './kube.js';

/** What a person would look at when a rollout fails, gathered once. */
export interface Diagnostics {
  /** Why the wait ended, e.g. `timed out after 180s` or `pod rag-api-x: CrashLoopBackOff`. */
  reason: string;
  pods: PodSummary[];
  /** Recent events, oldest first. */
  events: EventView[];
  logs?: { pod: string; previous: boolean; lines: string[] };
  namespace: string;
  /** The command that loads the image into this kind of cluster (from the deploy), for the ErrImageNeverPull fix. */
  imageLoadHint?: string;
  /** What could not be read because the API server did not answer in time (pods and events are then partial). */
  unanswered?: string;
}

export interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Machine-readable reasons: waiting/terminated reasons of the containers (e.g. CrashLoopBackOff, OOMKilled). */
  reasons: string[];
  /** Human detail: `api: waiting CrashLoopBackOff (back-off 20s…); last exit 1 (Error)`. */
  details: string[];
}

export function summarizePod(pod: PodView): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const reasons = new Set<string>();
  const details: string[] = [];
  for (const c of statuses) {
    const parts = containerParts(c, reasons);
    if (parts.length > 0) details.push(`${c.name}: ${parts.join('; ')}`);
  }
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) {
    reasons.add(unschedulable.reason ?? 'Unschedulable');
    details.push(`not scheduled: ${unschedulable.message ?? unschedulable.reason ?? 'no node fits'}`);
  }
  if (pod.status?.reason) reasons.add(pod.status.reason);
  return {
    name: pod.metadata.name,
    phase: pod.status?.phase ?? 'Unknown',
    ready: statuses.length > 0 && statuses.every((c) => c.ready),
    restarts: statuses.reduce((n, c) => n + c.restartCount, 0),
    reasons: [...reasons],
    details,
  };
}

function containerParts(c: ContainerStatusView, reasons: Set<string>): string[] {
  const parts: string[] = [];
  const waiting = c.state?.waiting;
  if (waiting?.reason) {
    reasons.add(waiting.reason);
    parts.push(`waiting ${waiting.reason}${waiting.message ? ` (${clip(waiting.message, 160)})` : ''}`);
  }
  const terminated = c.state?.terminated;
  if (terminated?.reason) {
    reasons.add(terminated.reason);
    parts.push(`terminated ${terminated.reason} (exit ${terminated.exitCode ?? '?'})`);
  }
  const last = c.lastState?.terminated;
  if (last) {
    if (last.reason) reasons.add(last.reason);
    parts.push(`last exit ${last.exitCode ?? '?'} (${last.reason ?? 'unknown'})`);
  }
  if (!c.ready && c.state?.running) parts.push('running but not Ready (readiness probe not passing yet)');
  if (c.restartCount > 0) parts.push(`${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}`);
  return parts;
}

/** Waiting reasons that will not fix themselves by waiting longer. */
export function hopeless(summary: PodSummary): string | undefined {
  const immediate = ['ErrImageNeverPull', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError'];
  const found = summary.reasons.find((r) => immediate.includes(r));
  if (found) return found;
  if (summary.restarts >= 3 && summary.reasons.includes('CrashLoopBackOff')) return summary.reasons.includes('OOMKilled') ? 'OOMKilled' : 'CrashLoopBackOff';
  return undefined;
}

interface FixRule {
  matches: (reasons: readonly string[], events: readonly EventView[]) => boolean;
  fix: string | ((imageLoadHint: string | undefined) => string);
}

const has = (reasons: readonly string[], ...wanted: string[]) => reasons.some((r) => wanted.includes(r));
const eventSays = (events: readonly EventView[], reason: string, pattern: RegExp) => events.some((e) => e.reason === reason && pattern.test(e.message ?? ''));

const FIX_RULES: FixRule[] = [
  {
    matches: (r) => has(r, 'ErrImageNeverPull'),
    fix: (hint) =>
      `the pod's image (named in the message above) is not on the node and dev never pulls (imagePullPolicy: Never): deploy again without --skip-build, or load it yourself: ${
        hint ?? `import ${IMAGE_ARCHIVE} into each node's container runtime (containerd: \`sudo ctr -n k8s.io images import ${IMAGE_ARCHIVE}\`)`
      }`,
  },
  {
    matches: (r) => has(r, 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'),
    fix: `the kubelet tried to pull the image from a registry: the Deployment's image must be a loaded ${IMAGE_REPOSITORY} tag (the build's id-… tag, or ${IMAGE}) with imagePullPolicy Never (check \`npx nx run k8s-manifests:synth\` output)`,
  },
  {
    matches: (r) => has(r, 'OOMKilled'),
    fix: 'the container went over its memory limit (OOMKilled): raise resources.limits.memory in libs/k8s-manifests/src/profiles/dev.ts, or find what allocates at startup',
  },
  {
    matches: (r) => has(r, 'CreateContainerConfigError'),
    fix: 'the pod references a ConfigMap/Secret (or key) that does not exist: rag-api-config and rag-api-secrets must both be in the namespace; deploy again, it applies both',
  },
  {
    matches: (r) => has(r, 'CrashLoopBackOff', 'Error'),
    fix: 'the app exits at startup: read the log lines above; a ConfigError names the env key at fault (defaults live in libs/config, secret values in .env or the environment)',
  },
  {
    matches: (_r, e) => eventSays(e, 'Unhealthy', /startup probe/i),
    fix: `the startup probe failed: the app did not answer ${HEALTH_PATHS.live} on port ${CONTAINER_PORT} in time; check it listens on 0.0.0.0:${CONTAINER_PORT} (HOST/PORT) and the logs above`,
  },
  {
    matches: (_r, e) => eventSays(e, 'Unhealthy', /liveness probe/i),
    fix: `the liveness probe failed, so the kubelet restarts the container: ${HEALTH_PATHS.live} must answer 200 quickly; a blocked event loop or wrong port causes this`,
  },
  {
    matches: (_r, e) => eventSays(e, 'Unhealthy', /readiness probe/i),
    fix: `the readiness probe fails: ${HEALTH_PATHS.ready} does not answer 200, so the pod never joins the Service; the body names the failing check`,
  },
  {
    matches: (r, e) => has(r, 'Unschedulable') || e.some((x) => x.reason === 'FailedScheduling'),
    fix: 'no node can fit the pod (see "Insufficient cpu/memory" above): give the cluster more (`minikube start --cpus=2 --memory=4g` after `minikube stop`) or lower the dev requests',
  },
  {
    matches: (_r, e) => eventSays(e, 'FailedCreate', /PodSecurity/i),
    fix: 'the pod violates the namespace\'s "restricted" Pod Security level: fix the securityContext in the chart (libs/k8s-manifests/src/charts/pod/security.ts)',
  },
];

/** The likely fixes for what was seen, most specific first; a generic next step when nothing matched. */
export function likelyFixes(reasons: readonly string[], events: readonly EventView[], namespace = 'dev', imageLoadHint?: string): string[] {
  const fixes = FIX_RULES.filter((rule) => rule.matches(reasons, events)).map((rule) => (typeof rule.fix === 'string' ? rule.fix : rule.fix(imageLoadHint)));
  if (fixes.length > 0) return fixes;
  return [
    `nothing conclusive: look at \`kubectl describe pods -n ${namespace} -l app=rag-api\` and \`kubectl get events -n ${namespace} --sort-by=.lastTimestamp\`, or deploy again with a longer --timeout on a slow machine`,
  ];
}

export function formatEvent(e: EventView): string {
  const what = e.involvedObject ? `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}` : '';
  const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
  return `${e.type ?? 'Normal'} ${e.reason ?? ''} ${what}: ${clip(e.message ?? '', 200)}${count}`;
}

/** The failure report printed instead of a silent timeout. */
export function formatDiagnostics(d: Diagnostics): string {
  const lines = [`✗ rollout failed: ${d.reason}`, ...(d.unanswered ? [`  (${d.unanswered})`] : []), '', 'Pods:'];
  if (d.pods.length === 0) lines.push(d.unanswered ? '  (not read)' : '  (none: the ReplicaSet could not create a pod; see the events)');
  for (const p of d.pods) {
    lines.push(`  ${p.name}  phase=${p.phase} ready=${p.ready ? 'yes' : 'no'} restarts=${p.restarts}`);
    for (const detail of p.details) lines.push(`    ${detail}`);
  }
  lines.push('', 'Recent events:');
  if (d.events.length === 0) lines.push(d.unanswered ? '  (not read)' : '  (none)');
  for (const e of d.events) lines.push(`  ${formatEvent(e)}`);
  if (d.logs) {
    lines.push('', `Last log lines of ${d.logs.pod}${d.logs.previous ? ' (previous, crashed container)' : ''}:`);
    if (d.logs.lines.length === 0) lines.push('  (empty)');
    for (const l of d.logs.lines) lines.push(`  ${l}`);
  }
  const reasons = d.pods.flatMap((p) => p.reasons);
  lines.push('', 'Likely fix:');
  const fixes = d.unanswered
    ? [
        'the API server stopped answering: check the control plane is up (`kubectl get --raw /readyz`; `minikube status`, or `docker ps` for kind/k3d), then deploy again; `npx nx run k8s-manifests:history` says what was recorded',
      ]
    : likelyFixes(reasons, d.events, d.namespace, d.imageLoadHint);
  for (const fix of fixes) lines.push(`  → ${fix}`);
  return lines.join('\n');
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
