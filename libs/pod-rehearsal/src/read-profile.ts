import { findObject, type KubeObject } from '@llmops-rag/contract';
import { readSynthDir } from '@llmops-rag/k8s-manifests';
import { asKind, isKind, type ConfigMap, type Deployment, type Secret } from './kube-types.js';

/** The objects of one synthesized profile the rehearsal needs. */
export interface ProfileObjects {
  dir: string;
  deployment: Deployment;
  configMaps: ConfigMap[];
  secrets: Secret[];
}

/** Every object in every YAML file of `dir`. */
export function readObjects(dir: string): KubeObject[] {
  return readSynthDir(dir);
}

/**
 * The Deployment named `deploymentName` plus every ConfigMap and Secret (the
 * plan resolves envFrom/valueFrom references against them, as the kubelet
 * does against the namespace).
 */
export function selectProfileObjects(dir: string, objects: readonly KubeObject[], deploymentName: string): ProfileObjects {
  return {
    dir,
    deployment: deploymentIn(dir, objects, deploymentName),
    configMaps: objects.filter((o) => isKind(o, 'ConfigMap')),
    secrets: objects.filter((o) => isKind(o, 'Secret')),
  };
}

function deploymentIn(dir: string, objects: readonly KubeObject[], name: string): Deployment {
  try {
    return asKind(findObject(objects, 'Deployment', name), 'Deployment');
  } catch (error) {
    throw new Error(`${dir}: ${(error as Error).message}\nfix: npx nx run k8s-manifests:synth, or pass the right --deployment`, { cause: error });
  }
}

export function readProfile(dir: string, deploymentName: string): ProfileObjects {
  return selectProfileObjects(dir, readObjects(dir), deploymentName);
}
