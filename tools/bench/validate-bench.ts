import { benchNxTarget } from './lib/nx-target-bench.ts';

/**
 * Wall time of `nx run infra-eks:validate`, cold and cached, as a user runs it
 * (through Nx, NX_DAEMON=false):
 * - cold: `--skip-nx-cache`, and the terraform data dirs of tf-validate and tf-test
 *   (tmp/infra-eks/terraform-data, tf-test-data) deleted first, so synth, terraform init,
 *   validate and test all run;
 * - cached: a plain run after one priming run; it must be an Nx cache hit.
 *
 *   LLMOPS_TF_PLUGIN_MIRROR=/opt/tf-plugins npx tsx tools/bench/validate-bench.ts [--runs 3] [--cold-budget-ms 20000] [--cached-budget-ms 2000]
 *
 * Prints every run (with the load average) and the medians; exit 1 when a
 * median is over its budget or a run fails (tools/bench/lib/nx-target-bench.ts).
 */
benchNxTarget({
  target: 'infra-eks:validate',
  coldDataDirs: ['tmp/infra-eks/terraform-data', 'tmp/infra-eks/tf-test-data'],
  coldBudgetMs: 20_000,
  cachedBudgetMs: 2_000,
});
