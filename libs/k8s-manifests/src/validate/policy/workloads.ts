import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { objectRef, type KubeObject } from '@llmops-rag/contract';

/** A Deployment's pod template, with what rules need to name and locate it. */
export interface PodTemplateRef {
  deployment: IDeployment;
  object: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: IPodSpec;
  /** JSON pointer of the pod spec. */
  path: string;
}

export interface ContainerRef {
  pod: PodTemplateRef;
  container: IContainer;
  /** JSON pointer of the container. */
  path: string;
}

export function ofKind<T>(objects: readonly KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as unknown as T[];
}

export function podTemplates(objects: readonly KubeObject[]): PodTemplateRef[] {
  return ofKind<IDeployment>(objects, 'Deployment').flatMap((deployment) => {
    const template = deployment.spec?.template;
    if (!template?.spec) return [];
    return [
      {
        deployment,
        object: objectRef(deployment as unknown as KubeObject),
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec,
        path: '/spec/template/spec',
      },
    ];
  });
}

export function containers(objects: readonly KubeObject[]): ContainerRef[] {
  return podTemplates(objects).flatMap((pod) => pod.spec.containers.map((container, i) => ({ pod, container, path: `${pod.path}/containers/${i}` })));
}

/** True when every `matchLabels` pair is among the labels (matchExpressions are not used here). */
export function selects(selector: { matchLabels?: Record<string, string> } | undefined, labels: Record<string, string>): boolean {
  const match = selector?.matchLabels;
  if (!match || Object.keys(match).length === 0) return false;
  return Object.entries(match).every(([k, v]) => labels[k] === v);
}
