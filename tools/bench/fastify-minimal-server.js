/**
 * The framework's share for the HTTP benchmark: a minimal Fastify 5 app with
 * rag-api's liveness route and its response schema, no logger, no plugins.
 * rag-api vs this is what the app adds; this vs bare node:http is Fastify.
 * The bench bundles it first, as rag-api is bundled (lib/servers.ts bundleBaseline), so
 * the framework is measured as the app ships it; plain JavaScript so it also runs as is.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get(
  '/health/live',
  { schema: { response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['alive'] } } } } } },
  async () => ({ status: 'alive' }),
);
await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
// SIGINT too: the bench ends a first run that way so Node writes its compile cache on exit, as for rag-api.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => app.close().then(() => process.exit(0)));
