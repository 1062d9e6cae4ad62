import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKubeObject, type KubeObject } from '@llmops-rag/contract';
import { parseAllDocuments } from 'yaml';

/**
 * Every object synth wrote to `dir` (one YAML file per object; kustomization.yaml
 * is not an object and is skipped), in file order. Shared by the deploy and the
 * rehearsal, which read the synthesized YAML rather than the charts.
 */
export function readSynthDir(dir: string): KubeObject[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`no synthesized manifests at ${dir}\nfix: run \`npx nx run k8s-manifests:synth\``, { cause: error });
    }
    throw error;
  }
  const objects: KubeObject[] = [];
  for (const file of files.sort()) {
    const path = join(dir, file);
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${path}: invalid YAML: ${doc.errors[0]?.message}`);
      const value: unknown = doc.toJS();
      if (isKubeObject(value)) objects.push(value);
    }
  }
  return objects;
}
