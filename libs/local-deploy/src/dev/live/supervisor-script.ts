import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Where the overlay mounts the supervisor (a ConfigMap) and the writable folder for new bundles (an emptyDir). */
export const LIVE_PATHS = { supervisorDir: '/dev-loop/supervisor', script: '/dev-loop/supervisor/supervisor.js', liveDir: '/dev-loop/app' } as const;
/** The supervisor's port inside the pod, on 127.0.0.1 only: the loop reaches it through the API server's port-forward. */
export const SYNC_PORT = 8099;

let script: Promise<string> | undefined;

/**
 * The supervisor (supervisor.ts) as one CommonJS file for the image's node: bundled from its source with esbuild (Node
 * builtins only), started as the program. Made once per process.
 */
export function supervisorScript(): Promise<string> {
  script ??= build({
    stdin: {
      contents: "import { parseSupervisorArgs, supervise } from './supervisor.ts';\nsupervise(parseSupervisorArgs(process.argv.slice(2), process.env));\n",
      resolveDir: dirname(fileURLToPath(import.meta.url)),
      loader: 'ts',
      sourcefile: 'dev-loop-supervisor.ts',
    },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'none',
    banner: { js: '// dev-loop live-update supervisor: deployed by `nx run k8s-manifests:dev` only (libs/local-deploy/src/dev/live/supervisor.ts)' },
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return script;
}
