import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ConfigMap, Deployment, KubeDoc, Secret } from './kube-types.js';

/** The objects of one synthesized profile the rehearsal needs. */
export interface ProfileObjects {
  dir: string;
  deployment: Deployment;
  configMaps: ConfigMap[];
  secrets: Secret[];
}

/** Every object in every YAML file of `dir` (kustomization.yaml is not an object and is skipped). */
export function readObjects(dir: string): KubeDoc[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`no synthesized manifests at ${dir}\nfix: npx nx run k8s-manifests:synth`);
    }
    throw error;
  }
  const objects: KubeDoc[] = [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${path}: invalid YAML: ${doc.errors[0]?.message}`);
      const value = doc.toJS() as KubeDoc | null;
      if (value && typeof value.kind === 'string' && typeof value.metadata?.name === 'string') objects.push(value);
    }
  }
  return objects;
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
