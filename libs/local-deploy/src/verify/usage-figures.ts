import { parseQuantity, type KubeObject } from '@llmops-rag/contract';

/** One container's usage as metrics-server sampled it: CPU in cores, memory (working set) in bytes. */
export interface Usage {
  cpuCores: number;
  memoryBytes: number;
}

/** The container's requests and limits as the live pod spec states them (`100m`, `128Mi`); absent when unset. */
export interface Resources {
  requests: { cpu?: string; memory?: string };
  limits: { cpu?: string; memory?: string };
}

/** Memory within this share of its limit warns: the container is OOM-killed at the limit. */
export const NEAR_LIMIT = 0.8;

/** The resources of `container` in a pod as the API server returned it. */
export function containerResources(pod: KubeObject, container: string): Resources {
  const containers = (pod.spec as { containers?: { name: string; resources?: Partial<Resources> }[] } | undefined)?.containers ?? [];
  const resources = containers.find((c) => c.name === container)?.resources ?? {};
  return { requests: { ...resources.requests }, limits: { ...resources.limits } };
}

/** CPU as `kubectl top` shows it: whole millicores, rounded up (`2315543n` → `3m`). */
export function formatCpu(cores: number): string {
  return `${Math.ceil(Math.round(cores * 1e6) / 1e3)}m`;
}

/** Memory as `kubectl top` shows it: whole Mi, rounded down (`49152Ki` → `48Mi`). */
export function formatMemory(bytes: number): string {
  return `${Math.floor(bytes / 2 ** 20)}Mi`;
}

/**
 * The figures beside the container's requests and limits, e.g.
 * `CPU 3m / 100m requested, limit 500m; memory 48Mi / 128Mi requested, limit 512Mi`, and what needs a look:
 * memory above its request (the node reserved less than the pod uses), or within 20% of its limit.
 */
export function usageReport(usage: Usage, resources: Resources, pod: string): { figures: string; warnings: string[] } {
  const side = (used: string, what: { request?: string; limit?: string }) =>
    `${used} / ${what.request ? `${what.request} requested` : 'no request'}, ${what.limit ? `limit ${what.limit}` : 'no limit'}`;
  const figures =
    `CPU ${side(formatCpu(usage.cpuCores), { request: resources.requests.cpu, limit: resources.limits.cpu })}; ` +
    `memory ${side(formatMemory(usage.memoryBytes), { request: resources.requests.memory, limit: resources.limits.memory })}`;
  const warnings: string[] = [];
  const memory = formatMemory(usage.memoryBytes);
  const request = resources.requests.memory;
  if (request && usage.memoryBytes > parseQuantity(request, `pod ${pod} memory request`)) {
    warnings.push(
      `memory ${memory} is above its ${request} request: the node reserved less than the pod uses; raise requests.memory in libs/k8s-manifests/src/profiles/`,
    );
  }
  const limit = resources.limits.memory;
  if (limit) {
    const share = usage.memoryBytes / parseQuantity(limit, `pod ${pod} memory limit`);
    if (share >= NEAR_LIMIT) {
      warnings.push(
        `memory ${memory} is ${Math.round(share * 100)}% of its ${limit} limit: the container is OOM-killed at the limit; raise limits.memory there or find what grows`,
      );
    }
  }
  return { figures, warnings };
}
