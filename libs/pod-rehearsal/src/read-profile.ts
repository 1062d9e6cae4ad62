import { readSynthDir } from '@llmops-rag/k8s-manifests';
import type { ConfigMap, Deployment, KubeDoc, Secret } from './kube-types.js';

/** The objects of one synthesized profile the rehearsal needs. */
export interface ProfileObjects {
  dir: string;
  deployment: Deployment;
  configMaps: ConfigMap[];
  secrets: Secret[];
}

/** Every object in every YAML file of `dir`. */
export function readObjects(dir: string): KubeDoc[] {
  return readSynthDir<KubeDoc>(dir);
}

/**
 * The Deployment named `deploymentName` plus every ConfigMap and Secret (the
 * plan resolves envFrom/valueFrom references against them, as the kubelet
 * does against the namespace).
 */
export function selectProfileObjects(dir: string, objects: readonly KubeDoc[], deploymentName: string): ProfileObjects {
  const deployment = objects.find((o): o is Deployment => o.kind === 'Deployment' && o.metadata.name === deploymentName);
  if (!deployment) {
    const found = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ') || 'nothing';
    throw new Error(`${dir} has no Deployment/${deploymentName} (found ${found})\nfix: npx nx run k8s-manifests:synth, or pass the right --deployment`);
  }
  return {
    dir,
    deployment,
    configMaps: objects.filter((o): o is ConfigMap => o.kind === 'ConfigMap'),
    secrets: objects.filter((o): o is Secret => o.kind === 'Secret'),
  };
}

export function readProfile(dir: string, deploymentName: string): ProfileObjects {
  return selectProfileObjects(dir, readObjects(dir), deploymentName);
}
