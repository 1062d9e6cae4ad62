import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's own response serializer factory (fast-json-stringify, through
 * @fastify/fast-json-stringify-compiler), with each route's serializer built
 * at its first response instead of when the route is registered. Fastify
 * compiles one serializer per route, status code and method at registration
 * (the HEAD twin of each GET too): ten generated functions at start, of which
 * a pod's first /health/ready needs one. Same code, same output, same
 * options and shared schemas; only the moment of compiling moves
 * (npm run bench:http, issue 11).
 */
export function lazySerializers(build: SerializerFactory = SerializerSelector()): SerializerFactory {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc) => (serialize ??= compile(route))(doc);
    };
  };
}
