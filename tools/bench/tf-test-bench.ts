import { benchNxTarget } from './lib/nx-target-bench.ts';

/**
 * Wall time of `nx run infra-eks:tf-test` (terraform test with mock_provider
 * "aws": a mocked plan and a mocked apply for dev and prod), cold and cached,
 * as a user runs it (through Nx, NX_DAEMON=false):
 * - cold: `--skip-nx-cache`, and tf-test's terraform data dir
 *   (tmp/infra-eks/tf-test-data) deleted first, so synth, test generation,
 *   terraform init and both `terraform test` runs all happen;
 * - cached: a plain run after one priming run; it must be an Nx cache hit.
 *
 *   LLMOPS_TF_PLUGIN_MIRROR=/opt/tf-plugins npm run bench:tf-test -- [--runs 3] [--cold-budget-ms 30000] [--cached-budget-ms 2000]
 *
 * Prints every run (with the load average, this is a shared machine) and the
 * medians; exit 1 when a median is over its budget or a run fails.
 */
benchNxTarget({
  target: 'infra-eks:tf-test',
  coldDataDirs: ['tmp/infra-eks/tf-test-data'],
  coldBudgetMs: 30_000,
  cachedBudgetMs: 2_000,
  mustPrint: /infra-eks tf-test ok: 4 runs passed on 2 stacks/,
});
