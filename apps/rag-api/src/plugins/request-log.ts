import fp from 'fastify-plugin';

const VERBOSE_LEVELS = new Set(['debug', 'trace']);

/**
 * One line per request at debug level (probes would flood info, and logging
 * every request at info costs throughput). Raise LOG_LEVEL to debug to see them.
 */
export const requestLogPlugin = fp(
  async (app) => {
    if (!VERBOSE_LEVELS.has(app.log.level)) return; // no hook at all: zero cost per request
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
    });
  },
  { name: 'request-log' },
);
