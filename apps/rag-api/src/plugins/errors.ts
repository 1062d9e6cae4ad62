import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

// Not `import { STATUS_CODES } from 'node:http'`: an ES import of node:http
// builds its module facade, which evaluates every lazy export and so loads
// Node's fetch client (undici), ~15 ms of start-up for nothing.
const { STATUS_CODES } = process.getBuiltinModule('node:http');

/**
 * Every error is JSON `{statusCode, error, message}` with the standard reason
 * phrase as `error`. Unknown paths are 404 (a known path with the wrong method
 * is answered by the 405 routes, see method-not-allowed.ts). Client errors
 * keep their message, server errors never leak internals.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
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

/** The standard reason phrase ("Forbidden", "Payload Too Large", ...). */
function errorName(status: number): string {
  return STATUS_CODES[status] ?? (status < 500 ? 'Client Error' : 'Server Error');
}
