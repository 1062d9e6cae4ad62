import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { EnvConfig } from '@llmops-rag/config';
import { Readiness } from './lifecycle/readiness.js';
import { requestLoggerFactory } from './request-logger.js';
import { createLogger, type LogStream } from './logger.js';
import { docsPlugin } from './plugins/docs.js';
import { errorsPlugin } from './plugins/errors.js';
import { methodNotAllowed } from './plugins/method-not-allowed.js';
import { requestLogPlugin } from './plugins/request-log.js';
import { healthRoutes } from './routes/health.js';
import { lazySerializers } from './lazy-serializers.js';
import { rootRoutes } from './routes/root.js';

export interface BuildAppOptions {
  /** Shared with the shutdown handler so SIGTERM can flip readiness. */
  readiness?: Readiness;
  /** Where JSON logs go (default stdout); tests pass a capture stream. */
  logStream?: LogStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What /health/ready reports; the shutdown handler flips it. */
    readiness: Readiness;
  }
}

/** The Fastify app, without listening: tests `inject` into it or listen on port 0. */
export async function buildApp(config: EnvConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const readiness = options.readiness ?? new Readiness();
  const log = createLogger(config, options.logStream);
  const app = Fastify({
    // No Fastify logger: with one configured, Fastify sets up response listeners on every request.
    // The app's own pino is app.log (below) and the parent of every request.log.
    logger: false,
    // Requests are logged at debug by the request-log plugin instead (cheap when off).
    logController: new LogController({ disableRequestLogging: true }),
    // request.log becomes a pino child only when a request logs (most never do).
    childLoggerFactory: requestLoggerFactory(log),
    // Limits for hostile or broken input: all answered with a 4xx, never a crash.
    bodyLimit: 1_048_576,
    routerOptions: { maxParamLength: 200 },
    requestTimeout: 30_000,
    // On close, drop idle keep-alive sockets so shutdown doesn't wait on them.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Response serializers are compiled at each route's first response, not all at start.
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
  });

  // Before any plugin: every encapsulated instance inherits it, and Fastify's own lines ("Server listening at") use it.
  app.log = log;
  app.decorate('readiness', readiness);
  const notAllowed = methodNotAllowed();
  await app.register(notAllowed.collect);
  await app.register(errorsPlugin);
  await app.register(requestLogPlugin);
  await app.register(docsPlugin);
  await app.register(rootRoutes);
  await app.register(healthRoutes, { readiness });
  await app.register(notAllowed.answer); // after every route
  await app.ready();
  return app;
}
