import type { FastifyPluginAsync } from 'fastify';
import { APP_VERSION } from '@llmops-rag/contract';

const welcome = {
  message: 'Welcome to LLMOps RAG Pipeline',
  version: APP_VERSION,
  docs: '/docs',
} as const;

export const rootRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/',
    {
      schema: {
        summary: 'Service banner',
        tags: ['meta'],
        response: {
          200: {
            type: 'object',
            required: ['message', 'version', 'docs'],
            properties: {
              message: { type: 'string' },
              version: { type: 'string' },
              docs: { type: 'string' },
            },
          },
        },
      },
    },
    async () => welcome,
  );
};
