import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchemaFile } from '../validate/schema/generate-schema.js';
import { GENERATED_SCHEMA_URL } from '../validate/schema/load-schema.js';

/** `nx run k8s-manifests:generate-schema`: regenerate the committed JSON Schema after a kubernetes-models upgrade. */
const file = generateSchemaFile();
const path = fileURLToPath(GENERATED_SCHEMA_URL);
writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
process.stdout.write(
  `wrote ${path}: ${Object.keys(file.schema.definitions).length} definitions for ${Object.keys(file.roots).length} kinds (kubernetes-models ${file.kubernetesModels})\n`,
);
