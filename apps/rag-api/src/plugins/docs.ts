import { existsSync } from 'node:fs';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { APP_VERSION } from '../version.js';

/**
 * OpenAPI document generated from the route schemas, served at /docs/json,
 * with Swagger UI at /docs. In the esbuild bundle the UI's static files are
 * copied next to main.js (see project.json assets); from source they come
 * from node_modules.
 */
export const docsPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: { title: 'LLMOps RAG API', version: APP_VERSION, description: 'Retrieval-augmented generation API.' },
        tags: [
          { name: 'meta', description: 'Service information' },
          { name: 'health', description: 'Kubernetes probes' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', baseDir: bundledStaticDir() });
  },
  { name: 'docs' },
);

function bundledStaticDir(): string | undefined {
  const dir = join(import.meta.dirname, 'static');
  return existsSync(join(dir, 'swagger-ui-bundle.js')) ? dir : undefined;
}
