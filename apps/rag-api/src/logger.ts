import { pino, type Logger } from 'pino';
import { REDACTED, secretLogPaths, type EnvConfig } from '@llmops-rag/config';
import { APP_NAME, APP_VERSION } from '@llmops-rag/contract';

/** Anything pino can write JSON lines to. */
export interface LogStream {
  write(line: string): void;
}

/**
 * The app's pino logger for structured JSON logs: ISO time, service/version/env
 * on every line, and every secret key of the config schema censored wherever it
 * appears (top level, or nested up to two levels, e.g. `{ config: {...} }`).
 * Written to `stream`, or to stdout by default.
 */
export function createLogger(config: EnvConfig, stream?: LogStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { service: APP_NAME, version: APP_VERSION, env: config.APP_ENV },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: {
      paths: [...secretLogPaths(), 'req.headers.authorization', 'req.headers.cookie'],
      censor: REDACTED,
    },
  };
  return stream ? pino(options, stream) : pino(options);
}
