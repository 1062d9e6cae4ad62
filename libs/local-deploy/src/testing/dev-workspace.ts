import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner, RunOptions, RunResult } from '@llmops-rag/platform';
import type { ContextInfo } from '../cluster-kinds.js';
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
    "import { greet } from '@ws/greeting';\nimport { port } from './port.ts';\nimport pad from 'left-pad';\nconsole.log(pad(greet(), 10), port);\n",
  );
  write('apps/api/src/port.ts', 'export const port = 8000;\n');
  write('apps/api/src/unused.ts', 'export const unused = 1;\n');
  write('apps/api/src/app-bundle.ts', "export { routes } from './routes.ts';\n");
  write('apps/api/src/routes.ts', "export const routes = ['/'];\n");
  write('libs/greeting/src/index.ts', "export const greet = () => 'hello';\n");
  write('node_modules/left-pad/package.json', JSON.stringify({ name: 'left-pad', main: 'index.js' }));
  write('node_modules/left-pad/index.js', 'module.exports = (s) => s;\n');
  return root;
}

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
      const build = { options: { main: 'apps/api/src/main.ts', additionalEntryPoints: ['apps/api/src/app-bundle.ts'], tsConfig: 'tsconfig.json' } };
      return { code: 0, stdout: JSON.stringify({ name: 'rag-api', root: 'apps/api', targets: { build } }), stderr: '', timedOut: false };
    }
    if (cmd === 'nx' && args[1] === 'rag-api:docker') {
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
