import { describe, expect, it } from 'vitest';
import { APP_VERSION } from './app.js';
import { IMAGE_ARCHIVE, imageIdTag, imageRef, IMAGE_REPOSITORY } from './image.js';

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

describe('imageIdTag', () => {
  const id = `sha256:${'0123456789ab'}${'c'.repeat(52)}`;

  it('is id- and the first 12 hex of the image ID, with or without sha256:, and a valid tag', () => {
    expect(imageIdTag(id)).toBe('id-0123456789ab');
    expect(imageIdTag(id.slice(7).toUpperCase())).toBe('id-0123456789ab');
    expect(imageRef(imageIdTag(id))).toBe('llmops-rag-api:id-0123456789ab');
  });

  it('refuses what is not an image ID, naming it', () => {
    expect(() => imageIdTag('latest')).toThrow('image ID "latest" is not a sha256 digest');
    expect(() => imageIdTag('sha256:0123')).toThrow('is not a sha256 digest');
  });
});
