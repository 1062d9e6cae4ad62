import { processRunner } from '@llmops-rag/platform';
import { describe, expect, it } from 'vitest';
import { checkDockerEngine, ensureMinikubeRunning, parseMinikubeStatus, requireTools } from './preflight.js';
import { PreflightError } from './preflight-error.js';
import { BufferOutput, FakeRunner } from './testing/fakes.js';

const RUNNING = JSON.stringify({ Name: 'minikube', Host: 'Running', Kubelet: 'Running', APIServer: 'Running', Kubeconfig: 'Configured' });
const STOPPED = JSON.stringify({ Name: 'minikube', Host: 'Stopped', Kubelet: 'Stopped', APIServer: 'Stopped', Kubeconfig: 'Stopped' });

describe('requireTools', () => {
  it('names every missing tool with its install link, without running anything', () => {
    const runner = new FakeRunner(['kubectl']);
    let error: unknown;
    try {
      requireTools(runner, ['docker', 'kubectl', 'minikube']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PreflightError);
    const message = (error as Error).message;
    expect(message).toContain('✗ docker: not found on PATH');
    expect(message).toContain('https://docs.docker.com/get-docker/');
    expect(message).toContain('✗ minikube: not found on PATH');
    expect(message).toContain('https://minikube.sigs.k8s.io/docs/start/');
    expect(message).not.toContain('kubectl:');
    expect(runner.calls).toEqual([]);
  });

  it('passes when all are present', () => {
    expect(() => requireTools(new FakeRunner(['docker', 'kubectl', 'minikube']), ['docker', 'kubectl', 'minikube'])).not.toThrow();
  });
});

describe('checkDockerEngine', () => {
  it('returns the server version', async () => {
    const runner = new FakeRunner(['docker'], () => ({ stdout: '28.2.2\n' }));
    await expect(checkDockerEngine(runner)).resolves.toBe('28.2.2');
  });

  it('explains how to start Docker when the daemon is down', async () => {
    const runner = new FakeRunner(['docker'], () => ({
      code: 1,
      stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    }));
    await expect(checkDockerEngine(runner)).rejects.toThrow(
      /Docker engine: not reachable \(Cannot connect to the Docker daemon.*\n\s+fix: start Docker Desktop, or `sudo systemctl start docker`/,
    );
  });

  it('says so when the daemon hangs', async () => {
    const runner = new FakeRunner(['docker'], () => ({ code: 137, timedOut: true }));
    await expect(checkDockerEngine(runner)).rejects.toThrow('did not answer within 15s');
  });

  it("is platform's dockerEngine check: a real spawn with no docker on PATH is refused with the deploy's fix", async () => {
    const refusal = checkDockerEngine(processRunner({ PATH: '' }));
    await expect(refusal).rejects.toThrow(PreflightError);
    await expect(refusal).rejects.toThrow(/Docker engine: not reachable \(no docker client on PATH\)\n\s+fix: start Docker Desktop/);
  });
});

describe('ensureMinikubeRunning', () => {
  it('leaves a running minikube alone', async () => {
    const runner = new FakeRunner(['minikube'], () => ({ stdout: RUNNING }));
    await expect(ensureMinikubeRunning(runner, 'minikube', new BufferOutput())).resolves.toBe('running');
    expect(runner.calls).toEqual(['minikube status -p minikube -o json']);
  });

  it('starts a stopped minikube with the docker driver and shows progress', async () => {
    const runner = new FakeRunner(['minikube'], (_cmd, args) =>
      args[0] === 'status' ? { code: 7, stdout: STOPPED } : { stdout: '😄  minikube v1.36.0\n🏄  Done! kubectl is now configured to use "minikube"' },
    );
    const out = new BufferOutput();
    await expect(ensureMinikubeRunning(runner, 'minikube', out)).resolves.toBe('started');
    expect(runner.calls).toContain('minikube start -p minikube --driver=docker');
    expect(out.text).toContain('minikube profile "minikube" is Stopped: starting it with --driver=docker');
    expect(out.text).toContain('🏄  Done!');
  });

  it('starts a profile that does not exist yet', async () => {
    const runner = new FakeRunner(['minikube'], (_cmd, args) => (args[0] === 'status' ? { code: 85, stdout: '🤷  Profile "demo" not found.' } : {}));
    const out = new BufferOutput();
    await ensureMinikubeRunning(runner, 'demo', out);
    expect(out.text).toContain('minikube profile "demo" is not created: starting it');
    expect(runner.calls).toContain('minikube start -p demo --driver=docker');
  });

  it('reports a failed start with the command and fixes', async () => {
    const runner = new FakeRunner(['minikube'], (_cmd, args) =>
      args[0] === 'status' ? { code: 7, stdout: STOPPED } : { code: 80, stderr: 'Exiting due to DRV_NOT_HEALTHY' },
    );
    await expect(ensureMinikubeRunning(runner, 'minikube', new BufferOutput())).rejects.toThrow(
      /`minikube start -p minikube --driver=docker` failed \(exit 80\)[\s\S]*fix: .*start Docker first/,
    );
  });

  it('repairs a misconfigured kubeconfig entry', async () => {
    const misconfigured = RUNNING.replace('"Configured"', '"Misconfigured"');
    const runner = new FakeRunner(['minikube'], () => ({ stdout: misconfigured }));
    await ensureMinikubeRunning(runner, 'minikube', new BufferOutput());
    expect(runner.calls).toContain('minikube update-context -p minikube');
  });

  it('parses status JSON even after a warning line', () => {
    expect(parseMinikubeStatus(`W1129 warning\n${RUNNING}`)?.apiServer).toBe('Running');
    expect(parseMinikubeStatus('not json')).toBeUndefined();
  });
});
