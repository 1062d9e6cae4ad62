import { isPinnedReference, parseImageReference } from '@llmops-rag/contract';
import { showValue } from '@llmops-rag/contract';
import type { PolicyRule } from '../rule.js';
import { containers } from '../workloads.js';

/** `repo@sha256:…` or `repo:tag` with a tag other than latest. An invalid reference is K8S-IMG-003's finding, not this one's. */
export function isPinned(image: string): boolean {
  const parsed = parseImageReference(image);
  return !parsed.ok || isPinnedReference(parsed.reference);
}

export const imageRules: PolicyRule[] = [
  {
    id: 'K8S-IMG-001',
    title: 'Image pinned by tag or digest',
    severity: 'error',
    fix: 'use repository:<version> or repository@sha256:<digest> (RAG_API_IMAGE), never latest or no tag',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => !isPinned(container.image ?? ''))
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/image`,
          message: `container ${container.name} image "${container.image ?? ''}" is not pinned`,
        })),
  },
  {
    id: 'K8S-IMG-002',
    title: 'Image pull policy IfNotPresent or Always',
    severity: 'error',
    fix: 'set imagePullPolicy: IfNotPresent (pinned tag/digest) or Always',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => container.imagePullPolicy !== 'IfNotPresent' && container.imagePullPolicy !== 'Always')
        .map(({ pod, container, path }) => ({
          object: pod.object,
          path: `${path}/imagePullPolicy`,
          message: `container ${container.name} pull policy is ${container.imagePullPolicy ?? '(unset)'}`,
        })),
  },
  {
    id: 'K8S-IMG-003',
    title: 'Image reference follows the OCI reference grammar',
    severity: 'error',
    fix: 'write [registry[:port]/]lower-case/path[:tag][@sha256:<64 hex>] (RAG_API_IMAGE or the profile image)',
    check: (objects) =>
      containers(objects).flatMap(({ pod, container, path }) => {
        const parsed = parseImageReference(container.image ?? '');
        if (parsed.ok) return [];
        return [
          {
            object: pod.object,
            path: `${path}/image`,
            message: `container ${container.name} image ${showValue(container.image ?? '')} is not a valid reference: ${parsed.problem}`,
          },
        ];
      }),
  },
];
