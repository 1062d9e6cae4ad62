import { showValue } from './show-value.js';

/**
 * Container image references, checked against the OCI distribution reference
 * grammar (github.com/distribution/reference, the parser Docker, containerd
 * and the kubelet use):
 *
 *   reference  := name [ ":" tag ] [ "@" digest ]
 *   name       := [ host [ ":" port ] "/" ] path-component [ "/" path-component ]*
 *   host       := domain-component [ "." domain-component ]* | "[" ipv6 "]"
 *   path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*     separator := [_.] | "__" | "-"+
 *   tag        := [\w][\w.-]{0,127}
 *   digest     := algorithm ":" hex      (sha256: 64, sha384: 96, sha512: 128 lower-case hex)
 *
 * No npm package in the workspace parses references (testcontainers' ImageName
 * splits strings without validating), hence this small parser. It reports what
 * is wrong, not just that something is.
 */
export interface ImageReference {
  /** `registry.example.com:5000`, or undefined for a bare name (`llmops-rag-api`). */
  domain?: string;
  /** Repository path below the domain, e.g. `team/llmops-rag-api`. */
  path: string;
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

export type ParsedImageReference = { ok: true; reference: ImageReference } | { ok: false; problem: string };

/** distribution/reference's NameTotalLengthMax. */
export const NAME_MAX_LENGTH = 255;

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Hex length of the digest algorithms go-digest knows; any other algorithm is refused. */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const fail = (problem: string): ParsedImageReference => ({ ok: false, problem });

export function parseImageReference(value: string): ParsedImageReference {
  if (value === '') return fail('it is empty');
  if (/\s/.test(value)) return fail('it contains whitespace');
  if (/^[a-f0-9]{64}$/.test(value)) return fail('a bare 64-hex image ID is not a reference; use repository@sha256:<hex>');

  const at = value.indexOf('@');
  const beforeDigest = at === -1 ? value : value.slice(0, at);
  const digest = at === -1 ? undefined : value.slice(at + 1);
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }

  // The tag is after the last ':' that follows the last '/' (a ':' before it is the registry port).
  const lastSlash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? beforeDigest : beforeDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : beforeDigest.slice(colon + 1);
  if (tag !== undefined && !TAG.test(tag)) {
    return fail(`tag ${showValue(tag)} is invalid: a tag is 1-128 of [A-Za-z0-9_.-] and must not start with "." or "-"`);
  }

  if (name === '') return fail('the repository name is missing');
  if (name.length > NAME_MAX_LENGTH) return fail(`the repository name is ${name.length} characters long; the limit is ${NAME_MAX_LENGTH}`);
  const components = name.split('/');
  const first = components[0] ?? '';
  // Docker's rule: the first of several components is a registry when it has a '.' or ':' or is localhost;
  // otherwise it is part of the path and must be lower-case (`Foo/bar` is refused, as Docker refuses it).
  const hasDomain = components.length > 1 && (/[.:]/.test(first) || first === 'localhost');
  if (hasDomain && !HOST.test(first)) return fail(`registry ${showValue(first)} is not a valid host[:port]`);
  const pathComponents = hasDomain ? components.slice(1) : components;
  for (const component of pathComponents) {
    const problem = pathComponentProblem(component);
    if (problem) return fail(problem);
  }

  return {
    ok: true,
    reference: {
      ...(hasDomain ? { domain: first } : {}),
      path: pathComponents.join('/'),
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

function pathComponentProblem(component: string): string | undefined {
  if (PATH_COMPONENT.test(component)) return undefined;
  if (component === '') return 'the repository name has an empty path component ("//", or a leading or trailing "/")';
  if (component !== component.toLowerCase() && PATH_COMPONENT.test(component.toLowerCase())) {
    return `repository path ${showValue(component)} must be lower-case`;
  }
  return `repository path ${showValue(component)} is invalid: use [a-z0-9] separated by ".", "_", "__" or "-"`;
}

function digestProblem(digest: string): string | undefined {
  if (!DIGEST.test(digest)) return `digest ${showValue(digest)} is invalid: expected <algorithm>:<hex>, e.g. sha256:<64 hex digits>`;
  const [algorithm = '', hex = ''] = digest.split(':');
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `digest algorithm ${showValue(algorithm)} is not supported: use ${Object.keys(DIGEST_HEX_LENGTH).join(', ')}`;
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) return `a ${algorithm} digest is ${length} lower-case hex digits (got ${hex.length} characters)`;
  return undefined;
}

/** `repo@sha256:…`, or `repo:tag` with a tag other than `latest`. Invalid references are never pinned. */
export function isPinnedReference(reference: ImageReference): boolean {
  return reference.digest !== undefined || (reference.tag !== undefined && reference.tag !== 'latest');
}
