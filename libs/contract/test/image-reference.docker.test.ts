import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HEX64, INVALID, VALID } from '../src/image-reference.cases.js';
import { parseImageReference } from '../src/image-reference.js';

/**
 * The Docker engine parses references with github.com/distribution/reference:
 * its verdict on the cases above must be ours. `docker image inspect` sends the
 * reference to the daemon, which answers "invalid reference format" (or an
 * unsupported/mis-sized digest) for a bad one and "No such image" for a good one
 * it does not hold. Left out, because the daemon never sees them as written or
 * decides them elsewhere: the empty string (the CLI refuses it), a bare 64-hex
 * string (taken as an image ID), a leading or trailing "/" (cleaned out of the
 * request URL), the 255-character name limit (checked by `docker tag`, not by an
 * image lookup), and IPv6 registries on engines before 23 (their parser predates them).
 */
const engine = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' });
const noEngine = engine.status === 0 ? undefined : `no Docker engine (${(engine.stderr || String(engine.error)).trim().split('\n')[0]})`;
if (noEngine) console.warn(`SKIPPED the Docker cross-check of image references: ${noEngine}`);
const engineMajor = Number(engine.stdout.split('.')[0]);
const oracleBlind = (value: string) =>
  value === '' || value === HEX64 || /^\/|\/$|\/\//.test(value) || value.split(/[:@]/)[0]!.length > 255 || (value.startsWith('[') && engineMajor < 23);

describe.skipIf(noEngine !== undefined)('parseImageReference agrees with the Docker engine', () => {
  const cases = [...Object.keys(VALID), ...Object.keys(INVALID)].filter((value) => !oracleBlind(value));

  it(`on ${cases.length} references`, () => {
    const disagreements: string[] = [];
    for (const value of cases) {
      const run = spawnSync('docker', ['image', 'inspect', '--format', '{{.Id}}', '--', value], { encoding: 'utf8' });
      const dockerInvalid = /invalid reference format|unsupported digest algorithm|invalid checksum digest/.test(run.stderr);
      if (!dockerInvalid && run.status !== 0 && !/No such image/i.test(run.stderr))
        throw new Error(`docker image inspect ${value}: unexpected answer ${run.stderr}`);
      if (dockerInvalid === parseImageReference(value).ok)
        disagreements.push(`${value.slice(0, 80)}: docker says ${dockerInvalid ? 'invalid' : 'valid'} (${run.stderr.trim().slice(0, 160)})`);
    }
    expect(disagreements).toEqual([]);
  }, 60_000);
});
