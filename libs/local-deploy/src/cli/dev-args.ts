import { parseFlags, shownFlagValue, UsageError } from '@llmops-rag/platform';
import type { DeployOptions } from '../deploy.js';
import { ALLOW_CONTEXT_FIX } from './allow-context.js';
import { DEPLOY_FLAGS, parseDeployArgs } from './deploy-args.js';

export const DEV_PORT = 8080;

export const DEV_HELP = `Deploy the rag-api to a local cluster once (verified), then redeploy on every save.

Usage:
  npx nx run k8s-manifests:dev [-- flags]

Watches the files the rag-api bundle is built from (its sources and the workspace libraries it imports,
as esbuild resolves them), and what needs a new image: the manifests' sources, package.json and the
lockfile, the Dockerfile, the build settings. Every deploy of the loop carries the dev-loop overlay, in
memory only: readiness at once and every second, and a live-update supervisor (a ConfigMap run by the
image's own node, an emptyDir for new bundles). A burst of saves is one round, on one of two paths, named
with its reason:
  - live (app sources only): the bundle built in process and sent to the pod, whose app restarts in
    place: no image, no pod (like Tilt's live_update);
  - full (anything else, or no supervisor answering): the bundle in process, the image (the Dockerfile,
    docker-archive's program, no Nx), synth only when a manifest source changed, the image loaded, the
    Deployment rolled by its image-ID annotation, Ready.
One round at a time; saves made during one queue one more. A round that fails leaves the last good code
serving and prints the step that failed. Meanwhile:
  - 127.0.0.1:<port> forwards to a Ready pod of the Deployment (a terminating one only while no other is
    Ready), and follows the new pod after a roll (kubectl port-forward dies with its pod; this one does not);
  - the Ready pods' logs are streamed, each line prefixed [<pod>];
  - each round prints the time from save to the new code answering, per stage.
dev holds the namespace's lock from its first deploy until it stops: no other deploy, rollback or
teardown changes the namespace between two saves (they wait, naming dev as the holder).
Ctrl-C (or SIGTERM) stops the watcher, the forward and the logs, lets a running deploy finish (or
restore the last good release), prints what is left running and how to go back to the plain profile
(npx nx run k8s-manifests:deploy-minikube --skip-build), and exits 0. A second Ctrl-C quits at once.

Flags:
  --cluster=minikube|local minikube (default; one profile, started if stopped), or the local cluster the
                           current context points at (kind, k3d, Docker Desktop, a k3s container)
  --profile=<name>         minikube profile, which is also its context name (default: minikube)
  --allow-context=<name>   deploy although the current context is not the expected local cluster;
                           must equal the current context's name exactly
  --port=<port>            local port of the forward on 127.0.0.1 (default: ${DEV_PORT}, the spec's port-forward)
  --timeout=<duration>     how long each rollout may take: 180, 180s or 3m (default: 180s)
  --dotenv=<path>          read secret values from this file instead of .env at the repo root
  --load-command=<cmd>     shell command that loads the image archive into a cluster the deploy does not
                           recognise (IMAGE_ARCHIVE and IMAGE set), as for deploy-local
  --no-wait                when another deploy, rollback, teardown or dev holds the namespace's lock,
                           refuse at once (exit 3, outcome "locked") instead of waiting up to --timeout
  --outcome-file=<path>    also write the outcome as JSON: {"command","outcome","exitCode","reason"}
  -h, --help               this text
A flag that takes a value may be given once, and not empty.

Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 the first deploy failed, 2 bad flags or the port is taken,
3 refused in preflight or locked by another operation (nothing was changed), 130/143 a second
Ctrl-C/SIGTERM quit at once. The last line on stderr names the outcome:
  dev-outcome: ok exit=0 | failed exit=1 | usage exit=2 | refused exit=3 | locked exit=3 | interrupted exit=130`;

// The deploy's flags but --skip-build (the loop exists to build), --no-atomic (a failed rebuild is rolled back so the
// last good pod keeps serving) and --enable-metrics (a one-off: every rebuild would run the addon again), plus --port.
const { 'skip-build': _skipBuild, 'no-atomic': _noAtomic, 'enable-metrics': _enableMetrics, ...DEPLOY_FLAGS_OF_DEV } = DEPLOY_FLAGS;
const DEV_FLAGS = { ...DEPLOY_FLAGS_OF_DEV, port: { type: 'string' } } as const;

export interface DevArgs {
  deploy: DeployOptions;
  port: number;
}

/** `--port=<n>`: a TCP port 1–65535. */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return DEV_PORT;
  const port = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(`--port=${shownFlagValue(value)}: expected a TCP port number from 1 to 65535 (default ${DEV_PORT})`);
  }
  return port;
}

/**
 * The dev command's flags: its own `--port`, and the deploy's flags parsed by the deploy's own parser (one set of
 * rules for --cluster, --timeout, --dotenv…). `--skip-build` is not one of them: the loop exists to build.
 */
export function parseDevArgs(argv: readonly string[], root: string): { help: true } | { help: false; options: DevArgs } {
  const { values, tokens } = parseFlags(argv, DEV_FLAGS, {
    cluster: { repeated: 'pass --cluster once (minikube or local)' },
    'allow-context': { empty: ALLOW_CONTEXT_FIX },
  });
  if (values.help) return { help: true };
  const port = parsePort(values.port as string | undefined);
  // The --port tokens (and a separate value after one) are the dev loop's; the rest is a deploy command line.
  const own = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name !== 'port') continue;
    own.add(token.index);
    if (!token.inlineValue) own.add(token.index + 1);
  }
  const deploy = parseDeployArgs(
    argv.filter((_, i) => !own.has(i)),
    root,
  );
  if (deploy.help) return { help: true };
  return { help: false, options: { deploy: deploy.options, port } };
}
