import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner, RunOptions, RunResult } from '@llmops-rag/platform';
import type { ContextInfo } from '../cluster-kinds.js';
import type { BundleEntry } from '../dev/watch-set.js';
import { FakeHost } from './hosts.js';
import { makeWorkspace, writeImageArchive } from './workspace.js';

const MINIKUBE_CTX: ContextInfo = { name: 'minikube', cluster: 'minikube', server: 'https://192.168.49.2:8443' };

/**
 * A workspace the dev loop can run in: the deploy's dist/ (workspace.ts), plus a small app whose entry imports a file
 * of its own and a workspace library through tsconfig `paths`, and a node_modules package it also imports (so the
 * watch set has something to leave out), and a second entry point (the build's `additionalEntryPoints`, as rag-api's
 * app-bundle.ts) that the first does not import, with a file of its own.
 */
export function makeDevWorkspace(firstImageId: string): string {
  const root = makeWorkspace(firstImageId);
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler', paths: { '@ws/greeting': ['./libs/greeting/src/index.ts'] } } }),
  );
  write(
    'apps/api/src/main.ts',
    [
      "import { createServer } from 'node:http';",
      "import { greet } from '@ws/greeting';",
      "import { port } from './port.ts';",
      "import pad from 'left-pad';",
      '// Serves what it was built from on PORT (as the app in a container), so a test can tell which code runs.',
      'if (process.env.PORT) createServer((_req, res) => res.end(JSON.stringify({ greeting: pad(greet(), 10), port }))).listen(Number(process.env.PORT), "127.0.0.1");',
      '',
    ].join('\n'),
  );
  write('apps/api/src/port.ts', 'export const port = 8000;\n');
  write('apps/api/src/unused.ts', 'export const unused = 1;\n');
  write('apps/api/src/app-bundle.ts', "export { routes } from './routes.ts';\n");
  write('apps/api/src/routes.ts', "export const routes = ['/'];\n");
  write('libs/greeting/src/index.ts', "export const greet = () => 'hello';\n");
  // What the full loop needs: the manifests' sources (synth's entry and what it imports), the dependencies, the image build.
  write('libs/k8s-manifests/tsconfig.json', JSON.stringify({ compilerOptions: { module: 'esnext', moduleResolution: 'bundler' } }));
  write('libs/k8s-manifests/src/cmd/synth.ts', "import { deployment } from '../charts/deployment.ts';\nconsole.log(JSON.stringify(deployment));\n");
  write('libs/k8s-manifests/src/charts/deployment.ts', "export const deployment = { kind: 'Deployment', replicas: 1 };\n");
  write('package.json', JSON.stringify({ name: 'ws', dependencies: { 'left-pad': '1.3.0' } }));
  write('apps/api/Dockerfile', 'FROM scratch\n');
  // As rag-api's: CommonJS files named .js (main.js is what the image runs).
  write('apps/api/esbuild.config.ts', "export default { outExtension: { '.js': '.js' }, logLevel: 'warning' };\n");
  write('node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', main: 'index.js' }));
  write('node_modules/left-pad/index.js', 'module.exports = (s) => s;\n');
  return root;
}

/** The app's build target in the dev workspace, as `nx show project rag-api --json` gives it (rag-api's, trimmed). */
export const DEV_BUILD_OPTIONS = {
  main: 'apps/api/src/main.ts',
  additionalEntryPoints: ['apps/api/src/app-bundle.ts'],
  tsConfig: 'tsconfig.json',
  outputPath: 'dist/apps/api',
  esbuildConfig: 'apps/api/esbuild.config.ts',
  platform: 'node',
  format: ['cjs'],
  bundle: true,
  thirdParty: true,
};
/** The same as the loop reads it (readBundleEntry). */
export const DEV_APP_ENTRY: BundleEntry = {
  entryPoints: [DEV_BUILD_OPTIONS.main, ...DEV_BUILD_OPTIONS.additionalEntryPoints],
  tsConfig: DEV_BUILD_OPTIONS.tsConfig,
  options: DEV_BUILD_OPTIONS,
};

/**
 * The developer machine of the dev loop's tests: FakeHost (minikube, kubectl, the kubeconfig) behind the process
 * boundary, plus what Nx does for the loop: `nx show project rag-api --json` names the app's entry and tsconfig, and
 * each `nx run rag-api:docker` writes an image archive with a new image ID (or fails, when `failBuilds` says so) after
 * `buildMs`. Counts the image builds and the most that ever ran at once.
 */
export class DevHost {
  readonly host: FakeHost;
  readonly runner: Runner;
  builds = 0;
  /** Synth runs of the loop's build phase (the manifest sources changed). */
  synths = 0;
  maxConcurrentBuilds = 0;
  failBuilds = false;
  buildMs = 0;
  private running = 0;

  constructor(
    private readonly root: string,
    firstImageId: string,
  ) {
    this.host = new FakeHost(MINIKUBE_CTX, ['docker', 'kubectl', 'minikube'], firstImageId);
    const inner = this.host.runner;
    this.runner = {
      which: (command) => inner.which(command),
      run: (command, args, options) => this.run(command, args, options, inner),
    };
  }

  private async run(command: string, args: readonly string[], options: RunOptions | undefined, inner: Runner): Promise<RunResult> {
    const cmd = command.split('/').pop();
    if (cmd === 'nx' && args[0] === 'show') {
      const build = { options: DEV_BUILD_OPTIONS };
      return { code: 0, stdout: JSON.stringify({ name: 'rag-api', root: 'apps/api', targets: { build } }), stderr: '', timedOut: false };
    }
    if (cmd === 'tsx' && args.some((a) => a.endsWith('synth.ts'))) {
      this.synths += 1;
      return { code: 0, stdout: 'dev: 6 objects written', stderr: '', timedOut: false };
    }
    // The image build: `nx run rag-api:docker` (the first deploy), or the docker-archive script the loop runs without Nx.
    if ((cmd === 'nx' && args[1] === 'rag-api:docker') || (cmd === 'tsx' && args[0] === 'tools/image/cli/docker-archive.ts')) {
      this.builds += 1;
      this.running += 1;
      this.maxConcurrentBuilds = Math.max(this.maxConcurrentBuilds, this.running);
      try {
        if (this.buildMs) await new Promise((r) => setTimeout(r, this.buildMs));
        if (this.failBuilds) {
          const stderr = '✘ [ERROR] Unexpected ";"\n    apps/api/src/port.ts:1:20:';
          for (const line of stderr.split('\n')) options?.onLine?.(line);
          return { code: 1, stdout: '', stderr, timedOut: false };
        }
        const id = String(this.builds % 10).repeat(64);
        writeImageArchive(join(this.root, 'dist', 'images', 'llmops-rag-api.tar'), id);
        this.host.archiveId = id;
      } finally {
        this.running -= 1;
      }
      if (cmd === 'tsx') return { code: 0, stdout: `built ${this.builds}`, stderr: '', timedOut: false };
    }
    return inner.run(command, args, options);
  }

  get context(): ContextInfo {
    return this.host.context;
  }

  remove(): void {
    this.host.remove();
  }
}
