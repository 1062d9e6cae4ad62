import { readFileSync } from 'node:fs';
import type { GeneratedSchemaFile } from './generate-schema.js';

/** The committed output of `generate-schema.ts` (regenerate with `nx run k8s-manifests:generate-schema`). */
export const GENERATED_SCHEMA_URL = new URL('./k8s-schema.generated.json', import.meta.url);

let cached: GeneratedSchemaFile | undefined;

export function loadGeneratedSchema(): GeneratedSchemaFile {
  cached ??= JSON.parse(readFileSync(GENERATED_SCHEMA_URL, 'utf8')) as GeneratedSchemaFile;
  return cached;
}
