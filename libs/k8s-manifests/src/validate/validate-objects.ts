import type { Profile } from '../profiles/profile.js';
import type { SchemaIssue } from './issue.js';
import type { KubeObject } from '@llmops-rag/contract';
import { validateWithModels } from './models-validator.js';
import { evaluatePolicy, type PolicyResult } from './policy/evaluate.js';
import { SchemaValidator } from './schema/schema-validator.js';

export interface ValidationReport {
  profile: string;
  objects: number;
  /** Structural problems from both validators (ajv schema, kubernetes-models). */
  schemaIssues: SchemaIssue[];
  policy: PolicyResult;
  /** No schema issue and no unwaived policy error. */
  ok: boolean;
}

let schemaValidator: SchemaValidator | undefined;

/** Both structural validators over every object: unknown fields, types, required fields, int32 and quantity formats. */
export function validateSchemas(objects: readonly KubeObject[]): SchemaIssue[] {
  schemaValidator ??= new SchemaValidator();
  const validator = schemaValidator;
  return objects.flatMap((object) => [...validator.validate(object), ...validateWithModels(object)]);
}

/** Structure first, then policy with the profile's waivers. */
export function validateObjects(profile: Pick<Profile, 'name' | 'waivers'>, objects: readonly KubeObject[]): ValidationReport {
  const schemaIssues = validateSchemas(objects);
  const policy = evaluatePolicy(objects, profile.waivers);
  return { profile: profile.name, objects: objects.length, schemaIssues, policy, ok: schemaIssues.length === 0 && policy.failures.length === 0 };
}
