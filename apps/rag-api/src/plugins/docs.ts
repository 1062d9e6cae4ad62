import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DocumentedRoute } from './docs-app.js';

/** Response headers of the inner hop that this reply sets itself. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length']);

/**
 * /docs (Swagger UI) and /docs/json (the OpenAPI document generated from the
 * route schemas), loaded on first use: swagger, its UI and their
 * dependencies cost start-up time and memory on every pod, and are read by a
 * person now and then. At start this plugin only records the API's routes
 * (method, URL, schema) and claims /docs and /docs/*; the first request there
 * builds the docs app (docs-app.ts) and every /docs request is answered by it
 * through `inject`, status, headers and body unchanged.
 *
 * Register it before the routes it documents.
 */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    const routes: DocumentedRoute[] = [];
    app.addHook('onRoute', (route) => {
      if (route.method === 'HEAD' || route.schema?.hide === true || route.config?.methodNotAllowed === true) return;
      routes.push({ method: route.method, url: route.url, ...(route.schema ? { schema: route.schema } : {}) });
    });

    let docsApp: Promise<FastifyInstance> | undefined;
    const loadDocsApp = (): Promise<FastifyInstance> => {
      if (!docsApp) {
        docsApp = import('./docs-app.js').then(({ buildDocsApp }) => buildDocsApp(routes, app.log));
        docsApp.catch(() => (docsApp = undefined)); // a failed build is retried by the next request
      }
      return docsApp;
    };
    app.addHook('onClose', async () => {
      if (docsApp) await (await docsApp).close();
    });

    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      const docs = await loadDocsApp();
      // Always GET: for HEAD, Fastify's HEAD route drops the body here and keeps its length.
      const answer = await docs.inject({ method: 'GET', url: request.url, headers: request.headers });
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
      }
      return reply.code(answer.statusCode).send(answer.rawPayload);
    };
    app.get('/docs', { schema: { hide: true } }, forward);
    app.get('/docs/*', { schema: { hide: true } }, forward);
  },
  { name: 'docs' },
);
