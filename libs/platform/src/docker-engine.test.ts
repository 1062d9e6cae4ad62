import { describe, expect, it } from 'vitest';
import { dockerEngine } from './docker-engine.js';
import { processRunner, type Runner } from './runner.js';

describe('dockerEngine', () => {
  it('names the fix when no docker client is on PATH (a real spawn with an empty PATH)', async () => {
    const status = await dockerEngine(processRunner({ PATH: '' }));
    expect(status).toEqual({
      ok: false,
      cause: 'no docker client on PATH',
      reason: 'no Docker engine answers `docker info` (no docker client on PATH); start one with `bash tools/ci/ensure-docker.sh`',
    });
  });

  it("says to let this user reach the engine, not to start one, when the engine's socket refuses it", async () => {
    // What `docker info --format …` prints (Docker 28) as a user outside the docker group (the socket is root:docker 0660).
    const refused =
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/info": dial unix /var/run/docker.sock: connect: permission denied';
    const runner: Runner = {
      which: () => '/usr/bin/docker',
      run: async () => ({ code: 1, stdout: '\n', stderr: `${refused}\n`, timedOut: false }),
    };
    const status = await dockerEngine(runner);
    expect(status.ok || status.reason).toBe(
      `no Docker engine answers \`docker info\` (${refused}); let this user reach it (add it to the docker group: \`sudo usermod -aG docker "$USER"\`, then log in again) or run as root`,
    );
  });

  it('names the engine the docker client reports when one answers', async (context) => {
    const status = await dockerEngine();
    if (!status.ok) {
      console.warn(`SKIPPED the engine version check: ${status.reason}`);
      context.skip(`no Docker engine here: ${status.reason}`);
    }
    expect(status.ok && status.version).toMatch(/^\d+\.\d+/);
  });
});
