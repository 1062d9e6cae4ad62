import type { FastifyPluginAsync } from 'fastify';
import type { Readiness } from '../lifecycle/readiness.js';

export interface HealthRoutesOptions {
  readiness: Readiness;
}

const checksSchema = {
  type: 'object',
  additionalProperties: { type: 'string', enum: ['ok', 'shutting_down', 'failing'] },
} as const;

const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: { status: { type: 'string', enum: ['ready', 'not_ready'] }, checks: checksSchema },
} as const;

/** Probes for Kubernetes: liveness never depends on anything but the event loop. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness }) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Health with server time',
        tags: ['health'],
        response: {
          200: {
            type: 'object',
            required: ['status', 'timestamp'],
            properties: { status: { type: 'string', enum: ['healthy'] }, timestamp: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
    async () => ({ status: 'healthy', timestamp: new Date().toISOString() }),
  );

  app.get(
    '/health/live',
    {
      schema: {
        summary: 'Liveness probe',
        tags: ['health'],
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['alive'] } } },
        },
      },
    },
    async () => ({ status: 'alive' }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        summary: 'Readiness probe: 503 while a check fails or the pod drains',
        tags: ['health'],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const { ready, checks } = readiness.report();
      if (!ready) reply.code(503);
      return { status: ready ? 'ready' : 'not_ready', checks };
    },
  );
};
