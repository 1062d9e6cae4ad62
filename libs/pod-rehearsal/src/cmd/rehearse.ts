/**
 * `nx run k8s-manifests:rehearse [--profile prod]`: runs the synthesized
 * Deployment's container in Docker the way the kubelet would (env from the
 * ConfigMap and Secret, limits, securityContext, probes, preStop and grace
 * period) and prints a step-by-step report. Exit 0 when the pod would come up
 * Ready and terminate cleanly, 1 otherwise, 2 for bad flags, 3 when the .env
 * can't be used; the last stderr line names the outcome (`rehearse-outcome: …`).
 *
 *   tsx libs/pod-rehearsal/src/cmd/rehearse.ts [--profile dev|prod] [--dir DIR]
 *       [--image IMAGE] [--timeout SECONDS] [--keep] [--dotenv PATH] [--outcome-file PATH]
 *
 * Secret values: the same-named variables of the environment, else the
 * git-ignored .env at the repo root (or --dotenv), else the manifest's placeholder. They
 * reach docker only through its environment (`-e KEY`), never argv or disk.
 */
import { EXIT, exitCodeOf, runCli, workspaceRoot } from '@llmops-rag/platform';
import { parseRehearseArgs, REHEARSE_USAGE } from '../cli/rehearse-args.js';
import { rehearseAndReport } from '../rehearse-and-report.js';

runCli('rehearse', async (argv) => {
  const args = parseRehearseArgs(argv, workspaceRoot());
  if (args.help) {
    console.log(REHEARSE_USAGE);
    return EXIT.ok;
  }
  return exitCodeOf(await rehearseAndReport(args.options));
});
