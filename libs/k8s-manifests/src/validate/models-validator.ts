import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { SchemaIssue } from './issue.js';
import { objectRef, type KubeObject } from '@llmops-rag/contract';
import { rootKey, type SchemaRootKey } from './schema/roots.js';

interface ModelError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

type ModelClass = new (data: never) => { validate(): void };

const MODELS: Record<SchemaRootKey, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/**
 * The `kubernetes-models` validators (compiled from the Kubernetes OpenAPI):
 * they know what the generated JSON Schema cannot express, the `int32` /
 * `int64` ranges and the `quantity` format. They ignore unknown fields, which
 * is why the schema validator runs too.
 */
export function validateWithModels(object: KubeObject): SchemaIssue[] {
  const ref = objectRef(object);
  const Model = MODELS[rootKey(object.apiVersion, object.kind) as SchemaRootKey] as ModelClass | undefined;
  if (!Model) {
    return [
      {
        source: 'models',
        object: ref,
        path: '/kind',
        message: `no kubernetes-models type for ${object.apiVersion} ${object.kind}`,
        fix: 'use a supported apiVersion/kind',
      },
    ];
  }
  try {
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: ModelError[] }).errors;
    if (!errors) throw error;
    return significant(errors).map((e) => toIssue(ref, e));
  }
}

/**
 * A bad quantity yields three errors (not a number, bad format, oneOf); keep
 * the format one. Errors of the oneOf wrapper add nothing the others don't say.
 */
function significant(errors: ModelError[]): ModelError[] {
  const formatPaths = new Set(errors.filter((e) => e.keyword === 'format').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'type' && formatPaths.has(e.instancePath)));
}

function toIssue(object: string, error: ModelError): SchemaIssue {
  const path = error.instancePath || '/';
  const format = error.keyword === 'format' ? String(error.params?.format) : undefined;
  const fix =
    format === 'quantity'
      ? 'use a quantity such as 128Mi, 1Gi, 500m or 2'
      : format === 'int32' || format === 'int64'
        ? `use a whole number in the ${format} range`
        : error.keyword === 'required'
          ? `set ${path === '/' ? '' : path}/${String(error.params?.missingProperty)}`
          : 'correct the value to match the Kubernetes API type';
  return { source: 'models', object, path, message: error.message ?? String(error.keyword), fix };
}
