import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { findObject, type KubeObject } from '@llmops-rag/contract';
import { type Profile, synthProfile, type SynthOptions } from '../index.js';

export function objectsOf(profile: Profile, options: SynthOptions = {}): KubeObject[] {
  return synthProfile(profile, options).objects;
}

export function deploymentOf(objects: readonly KubeObject[]): IDeployment {
  return findObject(objects, 'Deployment', 'rag-api') as unknown as IDeployment;
}

export function apiContainer(objects: readonly KubeObject[]): IContainer {
  const container = deploymentOf(objects).spec?.template.spec?.containers.find((c) => c.name === 'api');
  if (!container) throw new Error('no api container');
  return container;
}

/**
 * An object as a broken fixture edits it: any path, any value. Typing it would only restate the schema the
 * validators under test enforce, and a fixture must be able to write what the types forbid.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: fixtures write what the types forbid
export type Editable = any;

/** A deep copy of the objects with one mutated, for broken fixtures. */
export function mutate(objects: readonly KubeObject[], kind: string, name: string, change: (object: Editable) => void): KubeObject[] {
  const copy = structuredClone(objects) as KubeObject[];
  change(findObject(copy, kind, name));
  return copy;
}

export const without = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind !== kind);
