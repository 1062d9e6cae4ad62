import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IService } from 'kubernetes-models/v1/Service';
import { objectRef, type KubeObject } from '@llmops-rag/contract';
import type { PolicyRule, Violation } from '../rule.js';
import { ofKind, podTemplates, selects } from '../workloads.js';

export const networkRules: PolicyRule[] = [
  {
    id: 'K8S-NET-001',
    title: 'NetworkPolicy fences the pods in and out',
    severity: 'error',
    fix: 'add a NetworkPolicy selecting the pod labels with policyTypes [Ingress, Egress]',
    check: (objects) => {
      const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
      return podTemplates(objects)
        .filter((pod) => {
          const types = new Set(policies.filter((p) => selects(p.spec?.podSelector, pod.labels)).flatMap((p) => p.spec?.policyTypes ?? []));
          return !types.has('Ingress') || !types.has('Egress');
        })
        .map((pod) => ({
          object: pod.object,
          path: '/spec/template/metadata/labels',
          message: 'no NetworkPolicy restricts both ingress and egress of these pods',
        }));
    },
  },
  {
    id: 'K8S-NET-002',
    title: 'Service targets the pods and a container port',
    severity: 'error',
    fix: 'make the Service selector match the pod labels and targetPort a container port',
    check: (objects) => {
      const pods = podTemplates(objects);
      return ofKind<IService>(objects, 'Service').flatMap((service): Violation[] => {
        const object = objectRef(service as unknown as KubeObject);
        const target = pods.find((pod) => selects({ matchLabels: service.spec?.selector ?? {} }, pod.labels));
        if (!target) return [{ object, path: '/spec/selector', message: 'selects no pod template synthesized here' }];
        const containerPorts = target.spec.containers.flatMap((c) => c.ports ?? []);
        return (service.spec?.ports ?? []).flatMap((port, i) => {
          const wanted = port.targetPort ?? port.port;
          const found = containerPorts.some((p) => p.containerPort === wanted || (p.name !== undefined && p.name === wanted));
          return found ? [] : [{ object, path: `/spec/ports/${i}/targetPort`, message: `targetPort ${wanted} is not a port of ${target.object}` }];
        });
      });
    },
  },
];
