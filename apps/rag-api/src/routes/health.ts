import type { FastifyPluginAsync } from 'fastify';
import { HEALTH_PATH, HEALTH_PATHS, HEALTH_STATUS } from '@llmops-rag/contract';
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
  properties: { status: { type: 'string', enum: [HEALTH_STATUS.ready, HEALTH_STATUS.notReady] }, checks: checksSchema },
} as const;

/** Probes for Kubernetes: liveness never depends on anything but the event loop. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { readiness }) => {
  app.get(
    HEALTH_PATH,
    {
      schema: {
        summary: 'Health with server time',
        tags: ['health'],
        response: {
          200: {
            type: 'object',
            required: ['status', 'timestamp'],
            properties: { status: { type: 'string', enum: [HEALTH_STATUS.health] }, timestamp: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
    async () => ({ status: HEALTH_STATUS.health, timestamp: new Date().toISOString() }),
  );

  app.get(
    HEALTH_PATHS.live,
    {
      schema: {
        summary: 'Liveness probe',
        tags: ['health'],
        response: {
          200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: [HEALTH_STATUS.live] } } },
        },
      },
    },
    async () => ({ status: HEALTH_STATUS.live }),
  );

  app.get(
    HEALTH_PATHS.ready,
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
      return { status: ready ? HEALTH_STATUS.ready : HEALTH_STATUS.notReady, checks };
    },
  );
};
