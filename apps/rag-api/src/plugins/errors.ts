import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Every error is JSON. Unknown paths are 404; a known path with the wrong
 * method is 405 with an Allow header. Client errors keep their message,
 * server errors never leak internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      const allowed = METHODS.filter((method) => app.hasRoute({ method, url: path }));
      if (allowed.length > 0) {
        return reply
          .code(405)
          .header('allow', allowed.join(', '))
          .send({ statusCode: 405, error: 'Method Not Allowed', message: `${request.method} is not allowed on ${path}` });
      }
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No route for ${request.method} ${path}` });
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      const message = status >= 500 ? 'Internal Server Error' : error.message;
      return reply.code(status).send({ statusCode: status, error: errorName(status), message });
    });
  },
  { name: 'errors' },
);

function errorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    405: 'Method Not Allowed',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return names[status] ?? (status < 500 ? 'Client Error' : 'Server Error');
}
