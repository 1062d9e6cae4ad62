import type { FastifyServerOptions } from 'fastify';
import { REDACTED, secretLogPaths, type EnvConfig } from '@llmops-rag/config';
import { APP_NAME, APP_VERSION } from '@llmops-rag/contract';

/** Anything pino can write JSON lines to. */
export interface LogStream {
  write(line: string): void;
}

/**
 * pino options for structured JSON logs: ISO time, service/version/env on
 * every line, and every secret key of the config schema censored wherever it
 * appears (top level, or nested up to two levels, e.g. `{ config: {...} }`).
 */
export function loggerOptions(config: EnvConfig, stream?: LogStream): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    base: { service: APP_NAME, version: APP_VERSION, env: config.APP_ENV },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [...secretLogPaths(), 'req.headers.authorization', 'req.headers.cookie'],
      censor: REDACTED,
    },
    ...(stream ? { stream } : {}),
  };
}
