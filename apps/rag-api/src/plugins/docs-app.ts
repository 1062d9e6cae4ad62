import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import { APP_VERSION } from '@llmops-rag/contract';
import { errorsPlugin } from './errors.js';

/** What the docs app needs of the API's routes: their method, URL and schema. */
export type DocumentedRoute = Pick<RouteOptions, 'method' | 'url' | 'schema'>;

/**
 * The app that serves /docs: the OpenAPI document generated from the API's
 * route schemas (/docs/json, /docs/yaml) and Swagger UI. Built on the first
 * /docs request (see docs.ts) so the API starts without loading swagger, its
 * UI and their dependencies. The API's routes are declared here again, schema
 * only (they never run here), so the document is the one @fastify/swagger
 * generates from them. Errors have the API's JSON shape.
 */
export async function buildDocsApp(routes: readonly DocumentedRoute[], log: FastifyBaseLogger): Promise<FastifyInstance> {
  const docs = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
  await docs.register(errorsPlugin);
  await docs.register(swagger, {
    openapi: {
      info: { title: 'LLMOps RAG API', version: APP_VERSION, description: 'Retrieval-augmented generation API.' },
      tags: [
        { name: 'meta', description: 'Service information' },
        { name: 'health', description: 'Kubernetes probes' },
      ],
    },
  });
  await docs.register(swaggerUi, { routePrefix: '/docs', baseDir: bundledStaticDir() });
  for (const route of routes) {
    docs.route({ ...route, exposeHeadRoute: false, handler: async () => undefined });
  }
  await docs.ready();
  return docs;
}

/**
 * In the esbuild bundle the UI's static files are copied next to main.js
 * (see esbuild.config.ts); from source they come from node_modules.
 */
function bundledStaticDir(): string | undefined {
  // getBuiltinModule: an ES import of node:fs would load fs/promises, readline… at start-up (module facade).
  const { existsSync } = process.getBuiltinModule('node:fs');
  const dir = join(import.meta.dirname, 'static');
  return existsSync(join(dir, 'swagger-ui-bundle.js')) ? dir : undefined;
}
