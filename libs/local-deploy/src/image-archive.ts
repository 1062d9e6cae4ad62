import { closeSync, openSync, readSync } from 'node:fs';

/**
 * The identities of the image in a `docker save` archive, read from its
 * manifest.json (config digest = the image ID that docker, containerd's CRI
 * and `minikube image ls` report) and, for OCI layouts, index.json (manifest
 * digests, the ID docker's containerd store reports). Only tar headers are
 * read; layer blobs are skipped, so this is fast on a large archive.
 */
export function imageIdsInArchive(tarPath: string): { ids: string[]; repoTags: string[] } {
  const fd = openSync(tarPath, 'r');
  try {
    const configIds = new Set<string>();
    const manifestIds = new Set<string>();
    const repoTags = new Set<string>();
    for (const entry of walkTar(fd)) {
      if (entry.name === 'manifest.json') {
        const manifest = JSON.parse(readEntry(fd, entry)) as { Config?: string; RepoTags?: string[] | null }[];
        for (const image of manifest) {
          const digest = image.Config?.match(/([a-f0-9]{64})(\.json)?$/)?.[1];
          if (digest) configIds.add(digest);
          for (const tag of image.RepoTags ?? []) repoTags.add(tag);
        }
      } else if (entry.name === 'index.json') {
        const index = JSON.parse(readEntry(fd, entry)) as { manifests?: { digest?: string }[] };
        for (const m of index.manifests ?? []) if (m.digest) manifestIds.add(normalizeImageId(m.digest));
      }
    }
    if (configIds.size === 0) throw new Error(`${tarPath}: no manifest.json with a Config digest; is it a \`docker save\` archive?`);
    // The config digest first: it is the id the annotation and the messages use.
    return { ids: [...new Set([...configIds, ...manifestIds])], repoTags: [...repoTags] };
  } finally {
    closeSync(fd);
  }
}

/** `sha256:abc…` or `docker://sha256:abc…` → `abc…` (lower-case hex). */
export function normalizeImageId(id: string): string {
  return id
    .replace(/^.*sha256:/, '')
    .trim()
    .toLowerCase();
}

export function shortId(id: string): string {
  return `sha256:${normalizeImageId(id).slice(0, 12)}`;
}

interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

function* walkTar(fd: number): Generator<TarEntry> {
  const header = Buffer.alloc(512);
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    if (readSync(fd, header, 0, 512, offset) < 512 || header.every((b) => b === 0)) return;
    const size = parseInt(header.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const prefix = header.toString('utf8', 345, 500).replace(/\0.*$/s, '');
    const base = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const dataOffset = offset + 512;
    if (type === 'L') {
      longName = readEntry(fd, { name: '', offset: dataOffset, size }).replace(/\0.*$/s, '');
    } else if (type !== 'x' && type !== 'g') {
      const name = (longName ?? (prefix ? `${prefix}/${base}` : base)).replace(/^\.\//, '');
      longName = undefined;
      yield { name, offset: dataOffset, size };
    }
    offset = dataOffset + Math.ceil(size / 512) * 512;
  }
}

function readEntry(fd: number, entry: TarEntry): string {
  const buffer = Buffer.alloc(entry.size);
  readSync(fd, buffer, 0, entry.size, entry.offset);
  return buffer.toString('utf8');
}
