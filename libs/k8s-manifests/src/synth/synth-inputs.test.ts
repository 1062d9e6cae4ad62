import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { devProfile, prodProfile } from '../profiles/index.js';
import { readSynthInputs, SYNTH_VARIABLES, synthOptionsFor } from './synth-inputs.js';

describe('synth input variables', () => {
  it('are exactly the env inputs Nx caches synth on', () => {
    const project = JSON.parse(readFileSync(new URL('../../project.json', import.meta.url), 'utf8'));
    const envInputs = (project.targets.synth.inputs as unknown[]).flatMap((input) =>
      typeof input === 'object' && input && 'env' in input ? [(input as { env: string }).env] : [],
    );
    expect(envInputs.sort()).toEqual(
      Object.values(SYNTH_VARIABLES)
        .map((v) => v.name)
        .sort(),
    );
  });

  it('blank means unset; surrounding whitespace is trimmed', () => {
    expect(readSynthInputs({ AWS_ACCOUNT_ID: '  ', RAG_API_IMAGE: '' })).toEqual({ ok: true, values: {} });
    expect(readSynthInputs({ AWS_ACCOUNT_ID: ' 123456789012\n' })).toEqual({ ok: true, values: { awsAccountId: '123456789012' } });
  });

  it.each(['abc', '12345678901', '1234567890123', '12345678901a', '１２３４５６７８９０１２'])('AWS_ACCOUNT_ID=%j is refused', (value) => {
    const inputs = readSynthInputs({ AWS_ACCOUNT_ID: value });
    expect(inputs.ok).toBe(false);
    if (!inputs.ok)
      expect(inputs.problems).toEqual([expect.objectContaining({ variable: 'AWS_ACCOUNT_ID', message: expect.stringContaining('exactly 12 digits') })]);
  });

  it('each profile gets only the variables it uses: the image override is prod only, the account feeds IRSA', () => {
    const values = { awsAccountId: '123456789012', image: 'llmops-rag-api:0.2.0' };
    expect(synthOptionsFor(prodProfile, values)).toEqual(values);
    expect(synthOptionsFor(devProfile, values)).toEqual({});
  });
});
