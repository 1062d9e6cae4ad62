import { ConfigError, formatProblems, loadConfig, redactConfig, type EnvConfig } from '@llmops-rag/config';
import { STARTUP_LINE } from '@llmops-rag/contract';
import { buildApp } from '../app.js';
import { installGracefulShutdown } from '../lifecycle/graceful-shutdown.js';
import { listenProblem } from './listen-failure.js';
import { refuseToStart } from './refuse-to-start.js';
import { deliverPendingSignals, type StartupSignals } from './stop-before-serving.js';

/**
 * Parse the environment, build the app, listen, and shut down the Kubernetes
 * way. A user error (bad config, a HOST or PORT the system refuses) ends in
 * a message naming the key with a fix and exit code 1; other errors reject.
 * Resolves with the address it serves on, or undefined when it refused or a
 * signal stopped it while starting.
 */
export async function start(startup: StartupSignals): Promise<string | undefined> {
  const config = loadConfigOrRefuse();
  if (!config) return undefined;
  const app = await buildApp(config);
  app.log.info({ config: redactConfig(config) }, 'configuration loaded');

  // A signal caught while loading or building is handled by the start-up handler, not half-way through a listen.
  await deliverPendingSignals();
  if (startup.stopping) return undefined;
  const uninstall = installGracefulShutdown({ app, readiness: app.readiness, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS });
  startup.release();

  const target = { host: config.HOST, port: config.PORT };
  let address: string;
  try {
    address = await app.listen(target);
  } catch (error) {
    const problem = listenProblem(error, target);
    if (!problem) throw error;
    uninstall();
    app.log.fatal({ key: problem.key, code: (error as NodeJS.ErrnoException).code }, `${problem.key}: ${problem.reason}`);
    refuseToStart(formatProblems(`Cannot listen on HOST=${target.host} PORT=${target.port}`, [problem]));
    await app.close();
    return undefined;
  }
  app.log.info({ address, docs: `${address}/docs` }, STARTUP_LINE);
  return address;
}

function loadConfigOrRefuse(): EnvConfig | undefined {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    refuseToStart(error.message);
    return undefined;
  }
}
