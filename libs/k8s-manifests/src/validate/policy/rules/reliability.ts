import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { DRAIN_KEY, SHUTDOWN_BUDGET_SECONDS } from '../../../charts/pod/shutdown.js';
import type { PolicyRule, Violation } from '../rule.js';
import { ofKind, podTemplates, selects, type PodTemplateRef } from '../workloads.js';

const autoscalerOf = (objects: Parameters<PolicyRule['check']>[0], pod: PodTemplateRef) =>
  ofKind<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').find(
    (h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === pod.deployment.metadata?.name,
  );

export const reliabilityRules: PolicyRule[] = [
  {
    id: 'K8S-REL-001',
    title: 'At least two replicas',
    severity: 'error',
    fix: 'set the HPA minReplicas (or spec.replicas without an HPA) to 2 or more',
    check: (objects) =>
      podTemplates(objects).flatMap((pod): Violation[] => {
        const minimum = autoscalerOf(objects, pod)?.spec?.minReplicas ?? pod.deployment.spec?.replicas ?? 1;
        return minimum >= 2
          ? []
          : [{ object: pod.object, path: '/spec/replicas', message: `runs ${minimum} replica(s) at minimum; one node loss is an outage` }];
      }),
  },
  {
    id: 'K8S-REL-002',
    title: 'PodDisruptionBudget covers the pods',
    severity: 'error',
    fix: 'add a policy/v1 PodDisruptionBudget (maxUnavailable: 1) selecting the pod labels',
    check: (objects) => {
      const budgets = ofKind<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
      return podTemplates(objects)
        .filter((pod) => !budgets.some((b) => selects(b.spec?.selector, pod.labels)))
        .map((pod) => ({
          object: pod.object,
          path: '/spec/template/metadata/labels',
          message: 'no PodDisruptionBudget selects these pods; a node drain may evict all at once',
        }));
    },
  },
  {
    id: 'K8S-REL-003',
    title: 'Pods spread over zones and nodes',
    severity: 'error',
    fix: 'add topologySpreadConstraints on topology.kubernetes.io/zone and kubernetes.io/hostname',
    check: (objects) =>
      podTemplates(objects)
        .filter((pod) => {
          const keys = new Set((pod.spec.topologySpreadConstraints ?? []).map((c) => c.topologyKey));
          return !keys.has('topology.kubernetes.io/zone') || !keys.has('kubernetes.io/hostname');
        })
        .map((pod) => ({ object: pod.object, path: `${pod.path}/topologySpreadConstraints`, message: 'pods may all land in one zone or on one node' })),
  },
  {
    id: 'K8S-REL-004',
    title: 'Grace period covers the app’s drain',
    severity: 'error',
    fix: `derive terminationGracePeriodSeconds from ${DRAIN_KEY} (drain + ${SHUTDOWN_BUDGET_SECONDS} s)`,
    check: (objects) =>
      podTemplates(objects).flatMap((pod): Violation[] => {
        const configMapNames = pod.spec.containers.flatMap((c) => (c.envFrom ?? []).map((e) => e.configMapRef?.name));
        const drainValue = ofKind<IConfigMap>(objects, 'ConfigMap').find((m) => configMapNames.includes(m.metadata?.name))?.data?.[DRAIN_KEY];
        if (drainValue === undefined) return [];
        const needed = Number(drainValue) + SHUTDOWN_BUDGET_SECONDS;
        const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
        return grace >= needed
          ? []
          : [
              {
                object: pod.object,
                path: `${pod.path}/terminationGracePeriodSeconds`,
                message: `grace ${grace} s is shorter than drain ${drainValue} s + ${SHUTDOWN_BUDGET_SECONDS} s shutdown; in-flight requests would be killed`,
              },
            ];
      }),
  },
  {
    id: 'K8S-REL-005',
    title: 'HorizontalPodAutoscaler (autoscaling/v2) on CPU',
    severity: 'error',
    fix: 'add an autoscaling/v2 HPA targeting the Deployment with a CPU utilisation metric',
    check: (objects) =>
      podTemplates(objects)
        .filter((pod) => {
          const hpa = autoscalerOf(objects, pod) as (IHorizontalPodAutoscaler & { apiVersion: string }) | undefined;
          return !hpa || hpa.apiVersion !== 'autoscaling/v2' || !hpa.spec?.metrics?.some((m) => m.resource?.name === 'cpu');
        })
        .map((pod) => ({ object: pod.object, path: '/spec', message: 'no autoscaling/v2 HPA scales this Deployment on CPU' })),
  },
  {
    id: 'K8S-REL-006',
    title: 'Zero-downtime rolling update',
    severity: 'error',
    fix: 'set strategy.rollingUpdate.maxUnavailable: 0 and maxSurge: 1',
    check: (objects) =>
      podTemplates(objects)
        .filter((pod) => {
          const strategy = pod.deployment.spec?.strategy;
          return strategy?.type === 'Recreate' || strategy?.rollingUpdate?.maxUnavailable !== 0;
        })
        .map((pod) => ({ object: pod.object, path: '/spec/strategy', message: 'a rollout may take serving pods away before new ones are ready' })),
  },
];
