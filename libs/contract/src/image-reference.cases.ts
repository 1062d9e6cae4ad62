// Examples of the OCI/distribution reference grammar, shared by the parser's unit test and its Docker cross-check.

export const HEX64 = '0123456789abcdef'.repeat(4);

/** Valid references (grammar of github.com/distribution/reference) and what they parse into. */
export const VALID: Record<string, object> = {
  'llmops-rag-api:0.1.0': { path: 'llmops-rag-api', tag: '0.1.0' },
  'llmops-rag-api': { path: 'llmops-rag-api' },
  [`llmops-rag-api@sha256:${HEX64}`]: { path: 'llmops-rag-api', digest: `sha256:${HEX64}` },
  'localhost:5000/llmops-rag-api:1.0': { domain: 'localhost:5000', path: 'llmops-rag-api', tag: '1.0' },
  'localhost/llmops-rag-api': { domain: 'localhost', path: 'llmops-rag-api' },
  [`registry.example.com:5000/team/sub/llmops-rag-api:1.2.3@sha256:${HEX64}`]: {
    domain: 'registry.example.com:5000',
    path: 'team/sub/llmops-rag-api',
    tag: '1.2.3',
    digest: `sha256:${HEX64}`,
  },
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com/llmops-rag-api:v1': {
    domain: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    path: 'llmops-rag-api',
    tag: 'v1',
  },
  'docker.io/library/node:24': { domain: 'docker.io', path: 'library/node', tag: '24' },
  '127.0.0.1:5000/foo': { domain: '127.0.0.1:5000', path: 'foo' },
  '[::1]:5000/repo:tag': { domain: '[::1]:5000', path: 'repo', tag: 'tag' },
  'Registry.Example.com/bar': { domain: 'Registry.Example.com', path: 'bar' },
  'a__b/c-d/e.f/g---h:Tag_1.2-x': { path: 'a__b/c-d/e.f/g---h', tag: 'Tag_1.2-x' },
  'registry:5000': { path: 'registry', tag: '5000' },
  [`x:${'a'.repeat(128)}`]: { path: 'x', tag: 'a'.repeat(128) },
  [`foo@sha384:${HEX64}${HEX64.slice(0, 32)}`]: { path: 'foo', digest: `sha384:${HEX64}${HEX64.slice(0, 32)}` },
  [`foo@sha512:${HEX64}${HEX64}`]: { path: 'foo', digest: `sha512:${HEX64}${HEX64}` },
  ['a'.repeat(255)]: { path: 'a'.repeat(255) },
};

/** Invalid references, with a word of the problem the parser must name. */
export const INVALID: Record<string, RegExp> = {
  'not_a_valid_IMAGE::': /tag ":" is invalid/,
  'LLMOPS-RAG-API:1': /"LLMOPS-RAG-API" must be lower-case/,
  'Foo/bar': /"Foo" must be lower-case/,
  'foo/Bar': /"Bar" must be lower-case/,
  '': /empty/,
  'foo:': /tag "" is invalid/,
  'foo:.bad': /tag "\.bad" is invalid/,
  'foo:-bad': /tag "-bad" is invalid/,
  [`x:${'a'.repeat(129)}`]: /tag .* is invalid/,
  'foo@sha256:abc': /digest "sha256:abc" is invalid/,
  [`foo@sha256:${HEX64.toUpperCase()}`]: /sha256 digest is 64 lower-case hex/,
  [`foo@sha256:${HEX64}0`]: /sha256 digest is 64 lower-case hex digits \(got 65/,
  'foo@md5:0123456789abcdef0123456789abcdef': /algorithm "md5" is not supported/,
  [`foo@sha384:${HEX64}`]: /sha384 digest is 96/,
  [`foo@sha256:${HEX64}@x`]: /digest .* is invalid/,
  '/foo': /empty path component/,
  'foo/': /empty path component/,
  'foo_-bar': /"foo_-bar" is invalid/,
  foo___bar: /"foo___bar" is invalid/,
  'a..b': /"a\.\.b" is invalid/,
  '-foo': /"-foo" is invalid/,
  'foo-': /"foo-" is invalid/,
  'foo bar:1': /whitespace/,
  'registry.example.com:port/foo': /registry "registry\.example\.com:port" is not a valid host/,
  '-registry.example.com/foo': /registry .* is not a valid host/,
  [HEX64]: /64-hex image ID/,
  ['a'.repeat(256)]: /256 characters long; the limit is 255/,
  '@sha256:abc': /digest/,
  [`@sha256:${HEX64}`]: /repository name is missing/,
};
