import type { PolicyRule } from '../rule.js';
import { containers } from '../workloads.js';

/** `repo@sha256:…` or `repo:tag` with a tag other than latest. */
export function isPinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag !== '' && tag !== 'latest';
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
        .map(({ pod, container, path }) => ({ object: pod.object, path: `${path}/image`, message: `container ${container.name} image "${container.image ?? ''}" is not pinned` })),
  },
  {
    id: 'K8S-IMG-002',
    title: 'Image pull policy IfNotPresent or Always',
    severity: 'error',
    fix: 'set imagePullPolicy: IfNotPresent (pinned tag/digest) or Always',
    check: (objects) =>
      containers(objects)
        .filter(({ container }) => container.imagePullPolicy !== 'IfNotPresent' && container.imagePullPolicy !== 'Always')
        .map(({ pod, container, path }) => ({ object: pod.object, path: `${path}/imagePullPolicy`, message: `container ${container.name} pull policy is ${container.imagePullPolicy ?? '(unset)'}` })),
  },
];
