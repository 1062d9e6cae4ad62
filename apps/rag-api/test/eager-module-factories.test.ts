import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { eagerModuleFactories, moduleFactories } from '../esbuild.config.js';

/*
 * The bundle's module factories are parenthesized (esbuild.config.ts), so V8 compiles them with the file and
 * Node's compile cache holds them; the code runs the same and the source map still points at the right lines.
 */
describe('eager module factories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rag-api-eager-factories-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'dep.cjs'),
    ['"use strict";', 'exports.greet = (name) => `hello ${name}`;', 'exports.fail = () => {', '  throw new Error("from dep");', '};', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'entry.js'),
    ["import dep from './dep.cjs';", 'console.log(dep.greet("cache"));', 'if (process.env.FAIL) dep.fail();', ''].join('\n'),
  );

  async function bundle(name: string, eager: boolean): Promise<string> {
    const out = join(dir, name);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
    await build({
      entryPoints: [join(dir, 'entry.js')],
      outdir: out,
      bundle: true,
      format: 'esm',
      platform: 'node',
      sourcemap: true,
      minify: true,
      write: false,
      logLevel: 'silent',
      plugins: [
        ...(eager ? [eagerModuleFactories()] : []),
        { name: 'write', setup: (b) => b.onEnd((r) => r.outputFiles?.forEach((f) => writeFileSync(f.path, f.contents))) },
      ],
    });
    return join(out, 'entry.js');
  }
  const run = (file: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--enable-source-maps', file], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const cacheBytes = (file: string) => {
    const cache = join(dir, `cache-${statSync(file).ino}`);
    execFileSync(process.execPath, [file], { env: { ...process.env, NODE_COMPILE_CACHE: cache } });
    return readdirSync(cache, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  };

  it('finds the CommonJS factory of a bundle and parenthesizes only it', async () => {
    const lazy = await bundle('lazy', false);
    const eager = await bundle('eager', true);
    const lazyCode = readFileSync(lazy, 'utf8');
    expect(moduleFactories(lazyCode)).toHaveLength(1);
    const eagerCode = readFileSync(eager, 'utf8');
    expect(eagerCode.length).toBe(lazyCode.length + 2);
    expect(moduleFactories(eagerCode)).toHaveLength(1);
    expect(eagerCode).toMatch(/\w\(\(\w+=>\{"use strict";.*\}\)\)/);
    expect(lazyCode).toMatch(/\w\(\w+=>\{"use strict";.*\}\)/);
  });

  it('runs the same, and an error maps back to the same source line and column', async () => {
    const lazy = await bundle('lazy', false);
    const eager = await bundle('eager', true);
    expect(run(eager).stdout).toBe('hello cache\n');
    const where = (file: string) => /dep\.cjs:\d+:\d+/.exec(run(file, { FAIL: '1' }).stderr)?.[0];
    expect(where(lazy)).toBe('dep.cjs:4:9');
    expect(where(eager)).toBe(where(lazy));
  });

  it("puts the factory's code in Node's compile cache, which the lazy bundle's cache lacks", async () => {
    const lazy = await bundle('lazy', false);
    const eager = await bundle('eager', true);
    expect(cacheBytes(eager)).toBeGreaterThan(cacheBytes(lazy));
  });
});
