import { describe, expect, it } from 'vitest';
import { parseArchiveManifest } from './archive-manifest.js';
import { BASE_BUILDER, BASE_LABELS, BASE_RECIPE, decideBaseAction, importChanges } from './base-image.js';
import { accounts, groupFile, parseLdd, passwdFile } from './base-rootfs.js';
import { APP_GID, APP_UID, APP_VERSION } from '@llmops-rag/contract';
import { buildArgFlags, imageBuildArgs } from './build-args.js';
import { appImageTags, baseImageRef, DEFAULT_BASE_IMAGE } from './constants.js';

/** Pure parts of the image tooling (no Docker needed). */
describe('offline base image recipe', () => {
  const LDD = `
	linux-vdso.so.1 (0x00007ffd)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f8e)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f8e)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f8e)
	/lib64/ld-linux-x86-64.so.2 (0x00007f8e)`;

  it('takes exactly the libraries ldd lists, with the loader, and skips the vdso', () => {
    expect(parseLdd(LDD)).toEqual([
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib64/ld-linux-x86-64.so.2',
    ]);
  });

  it('refuses a binary with a library missing on this machine', () => {
    expect(() => parseLdd('\tlibfoo.so.1 => not found')).toThrow(/required library is missing.*libfoo/);
  });

  it('has the app user 10001 and distroless nonroot 65532, without login shells', () => {
    const list = accounts(10001);
    const passwd = passwdFile(list);
    expect(passwd).toContain('app:x:10001:10001:app:/home/app:/sbin/nologin');
    expect(passwd).toContain('nonroot:x:65532:65532:');
    expect(passwd).not.toMatch(/\/bin\/(ba)?sh/);
    expect(groupFile(list)).toContain('app:x:10001:');
  });

  it('configures the image like distroless nodejs :nonroot, labels quoted', () => {
    const changes = importChanges({ [BASE_LABELS.builder]: BASE_BUILDER, 'x.desc': 'two words' });
    expect(changes).toContain('ENTRYPOINT ["/nodejs/bin/node"]');
    expect(changes).toContain('USER 65532');
    expect(changes).toContain('WORKDIR /home/nonroot');
    expect(changes).toContain('LABEL x.desc="two words"');
  });
});

describe('base image rebuild decision', () => {
  const ours = (sha: string, recipe = BASE_RECIPE) => ({
    Config: { Labels: { [BASE_LABELS.builder]: BASE_BUILDER, [BASE_LABELS.nodeSha256]: sha, [BASE_LABELS.recipe]: recipe } },
  });

  it('creates when absent, skips when the label holds this Node binary', () => {
    expect(decideBaseAction(undefined, 'abc', false).kind).toBe('create');
    expect(decideBaseAction(ours('abc'), 'abc', false).kind).toBe('skip');
  });

  it('rebuilds its own image when the binary or the recipe changed', () => {
    expect(decideBaseAction(ours('old'), 'abc', false).kind).toBe('replace');
    expect(decideBaseAction(ours('abc', '0'), 'abc', false).kind).toBe('replace');
  });

  it('never overwrites a real (pulled) image without --force', () => {
    const pulled = { Config: { Labels: { 'org.opencontainers.image.source': 'distroless' } } };
    const refused = decideBaseAction(pulled, 'abc', false);
    expect(refused.kind).toBe('refuse');
    expect(refused.kind === 'refuse' && refused.reason).toMatch(/--force/);
    expect(decideBaseAction({ Config: {} }, 'abc', false).kind).toBe('refuse');
    expect(decideBaseAction(pulled, 'abc', true).kind).toBe('replace');
  });
});

describe('image names and the archive manifest', () => {
  it('tags latest and the app version of libs/contract', () => {
    expect(appImageTags()).toEqual(['llmops-rag-api:latest', `llmops-rag-api:${APP_VERSION}`]);
  });

  it('passes the Dockerfile the version and the uid/gid of libs/contract as build arguments', () => {
    expect(imageBuildArgs('base:1')).toEqual({ BASE_IMAGE: 'base:1', APP_VERSION, APP_UID: String(APP_UID), APP_GID: String(APP_GID) });
    expect(buildArgFlags({ A: '1', B: 'x y' })).toEqual(['--build-arg', 'A=1', '--build-arg', 'B=x y']);
  });

  it('uses the public distroless name unless RAG_API_BASE_IMAGE overrides it', () => {
    expect(baseImageRef({})).toBe(DEFAULT_BASE_IMAGE);
    expect(baseImageRef({ RAG_API_BASE_IMAGE: 'node:24-slim' })).toBe('node:24-slim');
  });

  it('rejects a manifest without an image id, naming the rebuild command', () => {
    expect(() => parseArchiveManifest('{"tags":["a"]}', 'x.json')).toThrow(/x.json lacks an image id.*docker-archive --skip-nx-cache/);
    expect(() => parseArchiveManifest('nope', 'x.json')).toThrow(/not JSON/);
    const ok = parseArchiveManifest(JSON.stringify({ id: `sha256:${'a'.repeat(64)}`, tags: ['t'], archive: 'dist/images/x.tar', size: 1 }), 'x.json');
    expect(ok.tags).toEqual(['t']);
  });
});
