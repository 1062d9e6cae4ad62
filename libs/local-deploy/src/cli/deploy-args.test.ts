import { describe, expect, it } from 'vitest';
import { UsageError } from '@llmops-rag/platform';
import { parseDeployArgs } from './deploy-args.js';
import { parseDevArgs } from './dev-args.js';

const options = (argv: string[]) => {
  const parsed = parseDeployArgs(argv, '/repo');
  if (parsed.help) throw new Error('expected options');
  return parsed.options;
};

describe('deploy flags: --enable-metrics', () => {
  it("is off unless given, and on deploy-minikube asks for minikube's metrics-server addon", () => {
    expect(options(['--cluster=minikube'])).not.toHaveProperty('enableMetrics');
    expect(options(['--cluster=minikube', '--enable-metrics', '--profile=work'])).toMatchObject({ mode: 'minikube', profile: 'work', enableMetrics: true });
  });

  it("is refused on deploy-local (it is minikube's addon), naming metrics-server's install instead", () => {
    expect(() => parseDeployArgs(['--cluster=local', '--enable-metrics'], '/repo')).toThrow(
      new UsageError(
        "--enable-metrics enables minikube's addon, so only deploy-minikube takes it; on another cluster install metrics-server: " +
          'kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml',
      ),
    );
  });

  it('is not a dev flag (every rebuild would run the addon again)', () => {
    expect(() => parseDevArgs(['--enable-metrics'], '/repo')).toThrow(/Unknown option '--enable-metrics'/);
  });
});
