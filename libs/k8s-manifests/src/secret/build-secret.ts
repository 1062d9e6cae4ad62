import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { loadConfig, PLACEHOLDER_SECRET, type RawEnv } from '@llmops-rag/config';
import * as k8s from 'cdk8s-plus-33/lib/imports/k8s.js';
import { libsConfigSource, type ConfigSource } from '../config/config-source.js';
import type { Profile } from '../profiles/profile.js';
import type { Manifest } from '../validate/manifest.js';
import { secretProps } from './secret-props.js';

/**
 * The `rag-api-secrets` Secret with real values, in memory, for the deploy to
 * apply. Values come from `env` (the process environment, optionally merged
 * with a git-ignored .env via `deployEnv`). The values are checked with the
 * app's own schema first: outside dev a missing or placeholder value throws a
 * ConfigError naming the key (never the value). Dev falls back to the
 * placeholder. Nothing is written to disk.
 */
export function buildSecret(profile: Profile, env: RawEnv, configSource: ConfigSource = libsConfigSource): Manifest {
  const keys = configSource.secretKeys();
  const provided = Object.fromEntries(keys.map((key) => [key, env[key]]));
  const config = loadConfig({ ...configSource.configMapData(profile.appEnv), ...provided, APP_ENV: profile.appEnv }) as Record<string, unknown>;
  const values = Object.fromEntries(keys.map((key) => [key, String(config[key] ?? PLACEHOLDER_SECRET)]));
  return k8s.KubeSecret.manifest(secretProps(profile.namespace, values, 'deploy-environment')) as Manifest;
}

/**
 * The environment a deploy reads secrets from: `.env` (if the file exists)
 * overlaid by the process environment, which wins. Parsed in memory.
 */
export function deployEnv(processEnv: RawEnv = process.env, dotEnvPath = '.env'): RawEnv {
  let fromFile: Record<string, string> = {};
  try {
    fromFile = parseEnv(readFileSync(dotEnvPath, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const set = Object.entries(processEnv).filter(([, value]) => value !== undefined && value !== '');
  return { ...fromFile, ...Object.fromEntries(set) };
}
