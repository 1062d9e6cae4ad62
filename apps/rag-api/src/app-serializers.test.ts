import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEALTH_PATHS } from '@llmops-rag/contract';
import { buildApp } from './app.js';
import * as serializers from './lazy-serializers.js';
import { testConfig } from './testing/config.js';

// The real factory, watched: lazy-serializers.test.ts proves what it does, this file that the app uses it.
vi.mock('./lazy-serializers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./lazy-serializers.js')>();
  return { ...real, lazySerializers: vi.fn(real.lazySerializers) };
});

describe("the app's response serializers", () => {
  let close: (() => Promise<unknown>) | undefined;
  afterEach(async () => close?.());

  it("are made by lazySerializers (each compiled at its route's first response)", async () => {
    const app = await buildApp(testConfig());
    close = () => app.close();
    expect(serializers.lazySerializers).toHaveBeenCalledTimes(1);
    const response = await app.inject({ method: 'GET', url: HEALTH_PATHS.live });
    expect(response.json()).toEqual({ status: 'alive' });
  });
});
