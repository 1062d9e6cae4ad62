import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Runner } from '@llmops-rag/platform';
import { SECRET_CHECKSUM_ANNOTATION } from '../deploy.js';
import { templateAnnotation } from '../testing/fakes.js';
import { ID_V1, ID_V2, release, releaseCluster } from '../testing/release-cluster.js';
import type { KubeObject } from '@llmops-rag/contract';
import { BufferOutput } from '../testing/fakes.js';
import { formatHistory, runHistory } from './history.js';
import { isReleaseSecret, RELEASE_SECRET_TYPE } from './record.js';
import { claimRevision, listReleases } from './store.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** git behind the process boundary: a commit and a dirty tree. */
const withGit =
  (dirty: boolean) =>
  (runner: Runner): Runner => ({
    which: (c) => (c === 'git' ? '/usr/bin/git' : runner.which(c)),
    run: async (c, args, o) => {
      if (c !== 'git') return runner.run(c, args, o);
      if (args.join(' ') === 'rev-parse HEAD') return { code: 0, stdout: '0123456789abcdef0123456789abcdef01234567\n', stderr: '', timedOut: false };
      if (args.join(' ') === 'status --porcelain') return { code: 0, stdout: dirty ? ' M apps/rag-api/src/app.ts\n' : '', stderr: '', timedOut: false };
      return { code: 1, stdout: '', stderr: 'unexpected', timedOut: false };
    },
  });

describe('release records (fake API server)', () => {
  it('records one release per deploy and keeps the last 10: after 12 deploys, revisions 3-12, only the newest deployed', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    let last;
    for (let i = 1; i <= 12; i++) {
      last = await deploy(release(i % 2 ? 'info' : 'debug'), ID_V1, 'sk-proj-key-0001');
      expect(last.result.ok, last.out.text).toBe(true);
      expect(last.result.revision).toBe(i);
    }
    const secrets = (await kube.list('v1', 'Secret', 'dev')).filter(isReleaseSecret);
    expect(secrets.map((s) => s.metadata.name).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))).toEqual(
      Array.from({ length: 10 }, (_, i) => `llmops-rag.release.v${i + 3}`),
    );
    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => r.revision)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(releases.map((r) => r.status)).toEqual(['deployed', ...Array(9).fill('superseded')]);
    // The status label follows the record (so `kubectl get secret -l status=deployed` finds the current one).
    expect(secrets.filter((s) => s.metadata.labels?.status === 'deployed').map((s) => s.metadata.name)).toEqual(['llmops-rag.release.v12']);
    expect(last?.result.checklist.results.find((r) => r.name === 'Release recorded')?.detail).toBe('revision 12 deployed; trimmed revision 2 (10 kept)');
  });

  it('records the git commit (+dirty), image ID, profile, digest and the Secret as key names and checksum only', async () => {
    const { kube, deploy } = releaseCluster(cleanups, { wrapRunner: withGit(true) });
    await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    const [record] = (await listReleases(kube, 'dev')).releases;
    expect(record).toMatchObject({
      revision: 1,
      git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: true },
      imageId: `sha256:${ID_V1}`,
      profile: 'dev',
      status: 'deployed',
      description: 'deploy',
    });
    expect(record?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const deployment = await kube.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'rag-api', namespace: 'dev' });
    expect(record?.secrets).toEqual({ 'rag-api-secrets': { keys: ['OPENAI_API_KEY'], checksum: templateAnnotation(deployment!, SECRET_CHECKSUM_ANNOTATION) } });
    const secret = record?.objects.find((o) => o.kind === 'Secret');
    expect(secret).toBeDefined();
    expect(secret).not.toHaveProperty('data');
    expect(secret).not.toHaveProperty('stringData');
    expect(record?.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/dev',
      'ServiceAccount/rag-api',
      'ConfigMap/rag-api-config',
      'Secret/rag-api-secrets',
      'Service/rag-api-service',
      'Deployment/rag-api',
    ]);
    // Same objects, same digest; a changed value changes it (through the checksum).
    await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    await deploy(release('info'), ID_V1, 'sk-proj-key-0002');
    const [changed, same] = (await listReleases(kube, 'dev')).releases;
    expect(same?.digest).toBe(record?.digest);
    expect(changed?.digest).not.toBe(record?.digest);

    const lines = formatHistory((await listReleases(kube, 'dev')).releases);
    expect(lines[0]).toMatch(/^REVISION +UPDATED +STATUS +COMMIT +IMAGE +PROFILE +DIGEST +DESCRIPTION$/);
    expect(lines[1]).toMatch(
      new RegExp(`^3 +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +deployed +0123456789ab\\+dirty +111111111111 +dev +${changed?.digest.slice(7, 19)} +deploy$`),
    );
    expect(lines.slice(1).map((l) => l.split(/ +/)[0])).toEqual(['3', '2', '1']);
  });

  it('says unknown when there is no git', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    const { releases } = await listReleases(kube, 'dev');
    expect(releases[0]?.git).toBeUndefined();
    expect(formatHistory(releases)[1]).toMatch(/ deployed +unknown +111111111111 /);
  });

  it('no secret value is anywhere in any release Secret: deployed, failed and rolled back, decoded and scanned', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    const values = ['sk-proj-first-value-7731', 'sk-proj-second-value-8842', 'sk-proj-third-value-9953'];
    await deploy(release('info'), ID_V1, values[0] as string);
    await deploy(release('debug'), ID_V2, values[1] as string); // fails, rolled back
    await deploy(release('debug'), ID_V2, values[2] as string, { atomic: false }); // fails, left in place
    const secrets = (await kube.list('v1', 'Secret', 'dev')).filter((s) => s.type === RELEASE_SECRET_TYPE);
    expect(secrets.map((s) => s.metadata.labels?.status).sort()).toEqual(['failed', 'failed', 'superseded']);
    const forms = values.flatMap((v) => [v, Buffer.from(v).toString('base64'), Buffer.from(v).toString('base64').slice(0, 20)]);
    for (const secret of secrets) {
      const payload = gunzipSync(Buffer.from((secret.data as Record<string, string>).release as string, 'base64')).toString('utf8');
      expect(payload).toContain('OPENAI_API_KEY'); // the key names are there, so the scan reads the real record
      for (const form of forms) {
        expect(payload, secret.metadata.name).not.toContain(form);
        expect(JSON.stringify(secret), secret.metadata.name).not.toContain(form);
      }
    }
  });

  it('revision numbers are claimed with a create: two claims at once get two revisions, and an existing one is never overwritten', async () => {
    const { kube, deploy } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    const [first] = (await listReleases(kube, 'dev')).releases;
    const { revision: _r, ...entry } = first!;
    const claims = await Promise.all([
      claimRevision(kube, 'dev', { ...entry, status: 'pending', description: 'deploy A' }),
      claimRevision(kube, 'dev', { ...entry, status: 'pending', description: 'deploy B' }),
    ]);
    expect(claims.map((c) => c.record.revision).sort()).toEqual([2, 3]);
    const { releases } = await listReleases(kube, 'dev');
    expect(releases.map((r) => [r.revision, r.description]).sort()).toEqual(
      [
        [1, 'deploy'],
        [claims[0]!.record.revision, 'deploy A'],
        [claims[1]!.record.revision, 'deploy B'],
      ].sort(),
    );
  });

  it('a release Secret that cannot be read is reported by history (exit 1) and never reused as a revision number', async () => {
    const { kube, deploy, runner, host } = releaseCluster(cleanups);
    await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    kube.put(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'llmops-rag.release.v2', namespace: 'dev', labels: { owner: 'llmops-rag-deploy' } },
        type: RELEASE_SECRET_TYPE,
        data: { release: 'bm90IGd6aXA=' },
      } as KubeObject,
      'kubectl-edit',
    );
    const out = new BufferOutput();
    const history = await runHistory({ namespace: 'dev' }, { runner, out, kubeContext: () => host.context, kubeApi: () => kube });
    expect(history.ok).toBe(false);
    expect(out.text).toMatch(/⚠ release Secret llmops-rag\.release\.v2: data\.release is not gzip'd JSON \(/);
    expect(out.text).toMatch(/\n1 +\S+ +deployed /);
    const next = await deploy(release('info'), ID_V1, 'sk-proj-key-0001');
    expect(next.result.revision).toBe(3);
  });
});
