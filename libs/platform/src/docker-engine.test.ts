import { describe, expect, it } from 'vitest';
import { dockerEngine } from './docker-engine.js';
import { processRunner } from './runner.js';

describe('dockerEngine', () => {
  it('names the fix when no docker client is on PATH (a real spawn with an empty PATH)', async () => {
    const status = await dockerEngine(processRunner({ PATH: '' }));
    expect(status).toEqual({
      ok: false,
      cause: 'no docker client on PATH',
      reason: 'no Docker engine answers `docker info` (no docker client on PATH); start one with `bash tools/ci/ensure-docker.sh`',
    });
  });

  it('names the engine the docker client reports when one answers', async (context) => {
    const status = await dockerEngine();
    if (!status.ok) context.skip(`no Docker engine here: ${status.reason}`);
    expect(status.ok && status.version).toMatch(/^\d+\.\d+/);
  });
});
