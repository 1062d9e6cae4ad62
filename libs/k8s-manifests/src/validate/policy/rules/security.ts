import { looksLikePlaceholder } from '@llmops-rag/config';
import { APP_UID } from '@llmops-rag/contract';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { objectRef, type KubeObject } from '@llmops-rag/contract';
import type { PolicyRule, Violation } from '../rule.js';
import { containers, ofKind, podTemplates } from '../workloads.js';

const MIN_ID = 10_000;

export const securityRules: PolicyRule[] = [
  {
    id: 'K8S-SEC-001',
    title: 'Runs as a non-root user and group above 10000',
    severity: 'error',
    fix: `set securityContext runAsNonRoot: true, runAsUser and runAsGroup: ${APP_UID}`,
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }): Violation[] => {
        const c = container.securityContext ?? {};
        const p = pod.spec.securityContext ?? {};
        const nonRoot = c.runAsNonRoot ?? p.runAsNonRoot;
        const uid = c.runAsUser ?? p.runAsUser;
        const gid = c.runAsGroup ?? p.runAsGroup;
        const problems = [
          nonRoot !== true && 'runAsNonRoot is not true',
          !(typeof uid === 'number' && uid > MIN_ID) && `runAsUser ${uid ?? '(unset)'} is not above ${MIN_ID}`,
          !(typeof gid === 'number' && gid > MIN_ID) && `runAsGroup ${gid ?? '(unset)'} is not above ${MIN_ID}`,
        ].filter((x): x is string => typeof x === 'string');
        return problems.map((message) => ({ object: pod.object, path: `${path}/securityContext`, message: `container ${container.name}: ${message}` }));
      }),
  },
  {
    id: 'K8S-SEC-002',
    title: 'Read-only root filesystem',
    severity: 'error',
    fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes (/tmp)',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem !== true)
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/securityContext/readOnlyRootFilesystem`,
          message: `container ${container.name} can write its root filesystem`,
        })),
  },
  {
    id: 'K8S-SEC-003',
    title: 'No privilege escalation, not privileged',
    severity: 'error',
    fix: 'set securityContext.allowPrivilegeEscalation: false and privileged: false',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false || container.securityContext?.privileged === true)
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/securityContext`,
          message: `container ${container.name} may escalate privileges`,
        })),
  },
  {
    id: 'K8S-SEC-004',
    title: 'All capabilities dropped',
    severity: 'error',
    fix: 'set securityContext.capabilities.drop: [ALL] and add none',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => {
          const caps = container.securityContext?.capabilities;
          return !caps?.drop?.includes('ALL') || (caps.add?.length ?? 0) > 0;
        })
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/securityContext/capabilities`,
          message: `container ${container.name} keeps Linux capabilities`,
        })),
  },
  {
    id: 'K8S-SEC-005',
    title: 'seccomp profile RuntimeDefault',
    severity: 'error',
    fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    check: (objects) =>
      containers(objects)
        .filter(({ pod, container }) => {
          const type = container.securityContext?.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type;
          return type !== 'RuntimeDefault' && type !== 'Localhost';
        })
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/securityContext/seccompProfile`,
          message: `container ${container.name} runs unconfined (no seccomp profile)`,
        })),
  },
  {
    id: 'K8S-SEC-006',
    title: 'No Kubernetes API token mounted',
    severity: 'error',
    fix: 'set automountServiceAccountToken: false on the ServiceAccount and the pod spec',
    check: (objects) => {
      const accounts = ofKind<IServiceAccount>(objects, 'ServiceAccount');
      return podTemplates(objects).flatMap((pod): Violation[] => {
        const account = accounts.find((a) => a.metadata?.name === (pod.spec.serviceAccountName ?? 'default'));
        const automount = pod.spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
        return automount
          ? [{ object: pod.object, path: `${pod.path}/automountServiceAccountToken`, message: 'the pod gets a Kubernetes API token it never uses' }]
          : [];
      });
    },
  },
  {
    id: 'K8S-SEC-007',
    title: 'Synthesized Secrets hold placeholders only',
    severity: 'error',
    fix: 'never put a real value in code; the deploy injects it in memory (secret/secret-from-env.ts)',
    check: (objects) =>
      ofKind<ISecret>(objects, 'Secret').flatMap((secret) => {
        const values = { ...decoded(secret.data), ...(secret.stringData ?? {}) };
        return Object.entries(values)
          .filter(([, value]) => !looksLikePlaceholder(value))
          .map(([key]) => ({
            object: objectRef(secret as unknown as KubeObject),
            path: `/stringData/${key}`,
            message: `${key} holds something that is not a placeholder`,
          }));
      }),
  },
  {
    id: 'K8S-SEC-008',
    title: 'Dedicated ServiceAccount',
    severity: 'error',
    fix: 'set spec.template.spec.serviceAccountName to the app’s own ServiceAccount and synthesize it',
    check: (objects) => {
      const names = new Set(ofKind<IServiceAccount>(objects, 'ServiceAccount').map((a) => a.metadata?.name));
      return podTemplates(objects)
        .filter((pod) => !pod.spec.serviceAccountName || pod.spec.serviceAccountName === 'default' || !names.has(pod.spec.serviceAccountName))
        .map((pod) => ({
          object: pod.object,
          path: `${pod.path}/serviceAccountName`,
          message: `runs as ServiceAccount "${pod.spec.serviceAccountName ?? 'default'}", not one synthesized here`,
        }));
    },
  },
];

function decoded(data: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}
