import { HEALTH_PATHS } from '@llmops-rag/contract';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { PolicyRule, Violation } from '../rule.js';
import { containers } from '../workloads.js';

const probeKey = (probe: IProbe | undefined) => JSON.stringify(probe?.httpGet ?? probe?.tcpSocket ?? probe?.grpc ?? probe?.exec ?? null);

export const probeRules: PolicyRule[] = [
  {
    id: 'K8S-PRB-001',
    title: 'Distinct liveness and readiness probes',
    severity: 'error',
    fix: `probe liveness on ${HEALTH_PATHS.live} and readiness on ${HEALTH_PATHS.ready}`,
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] => {
        const { livenessProbe: live, readinessProbe: ready } = container;
        if (!live || !ready) {
          const which = !live ? 'livenessProbe' : 'readinessProbe';
          return [{ object: pod.object, path: `${path}/${which}`, message: `container ${container.name} has no ${which}` }];
        }
        return probeKey(live) === probeKey(ready)
          ? [
              {
                object: pod.object,
                path: `${path}/livenessProbe`,
                message: `container ${container.name}: liveness and readiness probe the same endpoint, so a drain restarts the pod`,
              },
            ]
          : [];
      }),
  },
  {
    id: 'K8S-PRB-002',
    title: 'Startup probe',
    severity: 'error',
    fix: 'add a startupProbe so a slow start is not killed by liveness',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => !container.startupProbe)
        .map(({ pod, container, path }) => ({ object: pod.object, path: `${path}/startupProbe`, message: `container ${container.name} has no startupProbe` })),
  },
  {
    id: 'K8S-PRB-003',
    title: 'Probes target a declared container port',
    severity: 'error',
    fix: 'point the probe port at one of the container ports (8000 / "http")',
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] => {
        const ports = container.ports ?? [];
        return (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).flatMap((which) => {
          const port = container[which]?.httpGet?.port ?? container[which]?.tcpSocket?.port;
          if (port === undefined) return [];
          const declared = ports.some((p) => p.containerPort === port || (p.name !== undefined && p.name === port));
          return declared
            ? []
            : [
                {
                  object: pod.object,
                  path: `${path}/${which}`,
                  message: `container ${container.name}: ${which} targets port ${port}, which the container does not declare`,
                },
              ];
        });
      }),
  },
];
