import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { findObject, type Manifest, type Profile, synthProfile, type SynthOptions } from '../src/index.js';

export function objectsOf(profile: Profile, options: SynthOptions = {}): Manifest[] {
  return synthProfile(profile, options).objects;
}

export function deploymentOf(objects: readonly Manifest[]): IDeployment {
  return findObject(objects, 'Deployment', 'rag-api') as unknown as IDeployment;
}

export function apiContainer(objects: readonly Manifest[]): IContainer {
  const container = deploymentOf(objects).spec?.template.spec?.containers.find((c) => c.name === 'api');
  if (!container) throw new Error('no api container');
  return container;
}

/** A deep copy of the objects with one mutated, for broken fixtures. */
export function mutate(objects: readonly Manifest[], kind: string, name: string, change: (object: any) => void): Manifest[] {
  const copy = structuredClone(objects) as Manifest[];
  change(findObject(copy, kind, name));
  return copy;
}

export const without = (objects: readonly Manifest[], kind: string) => objects.filter((o) => o.kind !== kind);
