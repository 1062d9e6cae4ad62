import { describe, expect, it } from 'vitest';
import { HEX64, INVALID, VALID } from './image-reference.cases.js';
import { isPinnedReference, parseImageReference } from './image-reference.js';

describe('parseImageReference', () => {
  it.each(Object.entries(VALID))('accepts %s', (value, expected) => {
    expect(parseImageReference(value)).toEqual({ ok: true, reference: expected });
  });

  it.each(Object.entries(INVALID))('refuses %j naming the problem', (value, problem) => {
    const parsed = parseImageReference(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('quotes at most SHOWN_CHARACTERS of a long bad part', () => {
    const parsed = parseImageReference(`foo:${'!'.repeat(25_000)}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem.length).toBeLessThan(250);
      expect(parsed.problem).toContain('(25000 bytes)');
    }
  });

  it('a reference is pinned by a digest or a tag other than latest', () => {
    const pinned = (value: string) => {
      const parsed = parseImageReference(value);
      if (!parsed.ok) throw new Error(parsed.problem);
      return isPinnedReference(parsed.reference);
    };
    expect(pinned('llmops-rag-api:0.1.0')).toBe(true);
    expect(pinned(`llmops-rag-api@sha256:${HEX64}`)).toBe(true);
    expect(pinned(`llmops-rag-api:latest@sha256:${HEX64}`)).toBe(true);
    expect(pinned('llmops-rag-api:latest')).toBe(false);
    expect(pinned('localhost:5000/llmops-rag-api')).toBe(false);
  });
});
