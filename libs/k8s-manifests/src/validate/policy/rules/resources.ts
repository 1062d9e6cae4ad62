import { parseQuantity } from '@llmops-rag/contract';
import type { PolicyRule, Violation } from '../rule.js';
import { containers } from '../workloads.js';

/** request > limit; a malformed quantity is the schema's finding (format "quantity"), not this rule's. */
function exceeds(request: string | number, limit: string | number): boolean {
  try {
    return parseQuantity(request) > parseQuantity(limit);
  } catch {
    return false;
  }
}

const missing = (resources: Record<string, unknown> | undefined, names: string[]) => names.filter((n) => resources?.[n] === undefined);

export const resourceRules: PolicyRule[] = [
  {
    id: 'K8S-RES-001',
    title: 'CPU and memory requests and limits',
    severity: 'error',
    fix: 'set resources.requests and resources.limits for cpu and memory',
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] =>
        (['requests', 'limits'] as const).flatMap((kind) =>
          missing(container.resources?.[kind], ['cpu', 'memory']).map((name) => ({
            object: pod.object,
            path: `${path}/resources/${kind}/${name}`,
            message: `container ${container.name} has no ${name} ${kind.slice(0, -1)}`,
          })),
        ),
      ),
  },
  {
    id: 'K8S-RES-002',
    title: 'Ephemeral-storage requests and limits',
    severity: 'error',
    fix: 'set resources.requests and resources.limits ephemeral-storage (and emptyDir sizeLimit)',
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] =>
        (['requests', 'limits'] as const).flatMap((kind) =>
          missing(container.resources?.[kind], ['ephemeral-storage']).map(() => ({
            object: pod.object,
            path: `${path}/resources/${kind}/ephemeral-storage`,
            message: `container ${container.name} has no ephemeral-storage ${kind.slice(0, -1)}`,
          })),
        ),
      ),
  },
  {
    id: 'K8S-RES-003',
    title: 'Requests do not exceed limits',
    severity: 'error',
    fix: 'lower the request or raise the limit so request <= limit',
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] => {
        const { requests = {}, limits = {} } = container.resources ?? {};
        return Object.entries(requests)
          .filter(([name, request]) => limits[name] !== undefined && exceeds(request, limits[name] as string | number))
          .map(([name, request]) => ({
            object: pod.object,
            path: `${path}/resources/requests/${name}`,
            message: `container ${container.name} requests ${request} ${name}, above its limit ${limits[name]}`,
          }));
      }),
  },
];
