import { ConfigError, loadConfig, redactConfig, type EnvConfig } from '@llmops-rag/config';
import { buildApp } from './app.js';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown.js';

/** Process entry: parse the environment, listen, and shut down the Kubernetes way. */
async function main(): Promise<void> {
  const config = parseEnvOrExit();
  const app = await buildApp(config);
  app.log.info({ config: redactConfig(config) }, 'configuration loaded');

  installGracefulShutdown({ app, readiness: app.readiness, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS });

  const address = await app.listen({ port: config.PORT, host: config.HOST }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
    app.log.fatal({ code: error.code }, `cannot listen on ${config.HOST}:${config.PORT}; set PORT to a free port`);
    process.exit(1);
  });
  app.log.info({ address, docs: `${address}/docs` }, 'Application startup complete');
}

function parseEnvOrExit(): EnvConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rag-api: refusing to start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rag-api: fatal error during startup: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
