import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { SchemaIssue } from '../issue.js';
import { objectRef, type KubeObject } from '@llmops-rag/contract';
import { loadGeneratedSchema } from './load-schema.js';
import { rootKey } from './roots.js';

/**
 * Strict structural validation with ajv over the JSON Schema generated from
 * the kubernetes-models types: unknown fields (additionalProperties: false),
 * wrong types, missing required fields, enum values and quantity syntax.
 * Stricter than the API in one place, on purpose: every top-level object
 * must have `metadata.name` (kustomize and `kubectl apply` need it).
 */
export class SchemaValidator {
  private readonly ajv: Ajv;
  private readonly roots: Record<string, string>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    const file = loadGeneratedSchema();
    this.roots = file.roots;
    this.ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    this.ajv.addSchema(file.schema);
  }

  validate(object: KubeObject): SchemaIssue[] {
    const ref = objectRef(object);
    const definition = this.roots[rootKey(object.apiVersion, object.kind)];
    if (!definition) {
      return [
        {
          source: 'schema',
          object: ref,
          path: '/apiVersion',
          message: `no schema for ${object.apiVersion} ${object.kind}; only ${Object.keys(this.roots).join(', ')} are allowed`,
          fix: 'use one of the supported apiVersion/kind pairs or add it to src/validate/schema/roots.ts and regenerate',
        },
      ];
    }
    const validate = this.validatorFor(definition);
    if (validate(object)) return [];
    return collapse(validate.errors ?? []).map((error) => toIssue(ref, error));
  }

  private validatorFor(definition: string): ValidateFunction {
    let validate = this.compiled.get(definition);
    if (!validate) {
      validate = this.ajv.compile({
        allOf: [
          { $ref: `${loadGeneratedSchema().schema.$id}#/definitions/${definition}` },
          {
            type: 'object',
            required: ['metadata'],
            properties: { metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } } },
          },
        ],
      });
      this.compiled.set(definition, validate);
    }
    return validate;
  }
}

/** Drop duplicates: the same pointer and message can come from both halves of the allOf. */
function collapse(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toIssue(object: string, error: ErrorObject): SchemaIssue {
  const path = error.instancePath || '/';
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      return {
        source: 'schema',
        object,
        path: `${error.instancePath}/${field}`,
        message: `unknown field "${field}"`,
        fix: `remove "${field}" or correct its spelling (the API server would silently drop it)`,
      };
    }
    case 'required': {
      const field = String(error.params.missingProperty);
      return {
        source: 'schema',
        object,
        path: `${error.instancePath}/${field}`,
        message: `missing required field "${field}"`,
        fix: `set ${path === '/' ? '' : path}/${field}`,
      };
    }
    case 'type':
      return { source: 'schema', object, path, message: `must be ${error.params.type}`, fix: `write a ${error.params.type}, not a ${typeName(error.data)}` };
    case 'enum':
      return {
        source: 'schema',
        object,
        path,
        message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`,
        fix: 'use one of the allowed values',
      };
    case 'pattern':
      return {
        source: 'schema',
        object,
        path,
        message: `${JSON.stringify(error.data)} is not a Kubernetes quantity`,
        fix: 'use a quantity such as 128Mi, 1Gi, 500m or 2',
      };
    default:
      return { source: 'schema', object, path, message: error.message ?? error.keyword, fix: 'correct the value to match the Kubernetes API type' };
  }
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}
