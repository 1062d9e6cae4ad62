import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** The methods a 405 is given for; others (WebDAV etc.) on a known path stay 404. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export interface MethodNotAllowed {
  /** Register before any route: remembers every route's URL pattern. */
  collect: FastifyPluginAsync;
  /** Register after every route: adds the 405 routes. */
  answer: FastifyPluginAsync;
}

/**
 * A known path with a method it does not serve answers a JSON 405 with
 * `Allow`. The router decides what "known path" means: each route URL gets a
 * second route for the methods it lacks, so `POST /heal%74h` is matched
 * exactly like `GET /heal%74h` (same percent-decoding, parameters and
 * wildcards as the real routes). The 405 is sent from `onRequest`, before any
 * body is read. GET requests never reach these routes, so they cost nothing.
 */
export function methodNotAllowed(): MethodNotAllowed {
  const urls = new Set<string>();
  const collect = fp(
    async (app: FastifyInstance) => {
      app.addHook('onRoute', (route) => {
        if (route.config?.methodNotAllowed !== true) urls.add(route.url);
      });
    },
    { name: 'method-not-allowed-collect' },
  );
  const answer = fp(
    async (app: FastifyInstance) => {
      for (const url of urls) {
        const allowed = METHODS.filter((method) => app.hasRoute({ method, url }));
        const missing = METHODS.filter((method) => !allowed.includes(method));
        if (allowed.length === 0 || missing.length === 0) continue;
        const allow = allowed.join(', ');
        app.route({
          method: missing,
          url,
          exposeHeadRoute: false,
          config: { methodNotAllowed: true },
          schema: { hide: true },
          onRequest: async (request, reply) =>
            reply
              .code(405)
              .header('allow', allow)
              .send({ statusCode: 405, error: 'Method Not Allowed', message: `${request.method} is not allowed on ${url}` }),
          handler: async () => undefined, // never reached: onRequest has answered
        });
      }
    },
    { name: 'method-not-allowed-answer' },
  );
  return { collect, answer };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks the routes `methodNotAllowed` adds, so they are not collected themselves. */
    methodNotAllowed?: boolean;
  }
}
