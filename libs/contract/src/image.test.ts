import { describe, expect, it } from 'vitest';
import { APP_VERSION } from './app.js';
import { IMAGE_ARCHIVE, imageRef, IMAGE_REPOSITORY } from './image.js';

describe('imageRef', () => {
  it('names the local image with a tag', () => {
    expect(imageRef('latest')).toBe('llmops-rag-api:latest');
    expect(imageRef(APP_VERSION)).toBe(`${IMAGE_REPOSITORY}:${APP_VERSION}`);
  });

  it('keeps the saved archive under dist/images, named for the repository', () => {
    expect(IMAGE_ARCHIVE).toBe('dist/images/llmops-rag-api.tar');
  });

  it('refuses a tag Docker would refuse, naming it', () => {
    expect(() => imageRef('1.0 beta')).toThrow('image tag "1.0 beta" is not a Docker tag');
    expect(() => imageRef('')).toThrow('image tag "" is not a Docker tag');
    expect(() => imageRef('-x')).toThrow('is not a Docker tag');
    expect(() => imageRef('a'.repeat(129))).toThrow('is not a Docker tag');
  });

  it('has a version that is a Docker tag and a semver', () => {
    expect(APP_VERSION).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
    expect(() => imageRef(APP_VERSION)).not.toThrow();
  });
});
