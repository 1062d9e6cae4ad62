import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { SCHEMA_ROOTS } from './roots.js';

/**
 * Generates a strict JSON Schema (draft-07) from the TypeScript types that
 * `kubernetes-models` ships for the Kubernetes OpenAPI: every object gets
 * `additionalProperties: false` (so a typo is an error, unlike the API
 * server's silent pruning), `required` from non-optional members, enums from
 * literal unions and a pattern for `resource.Quantity`.
 *
 * Dev-time only (loads the TypeScript compiler): the output is committed as
 * `k8s-schema.generated.json` and a test fails when it is stale.
 */

export interface JsonSchema {
  [keyword: string]: unknown;
}

export interface GeneratedSchemaFile {
  generator: string;
  kubernetesModels: string;
  /** `apiVersion/kind` → definition name. */
  roots: Record<string, string>;
  schema: { $id: string; definitions: Record<string, JsonSchema> };
}

export const SCHEMA_ID = 'k8s-manifests://kubernetes-models';

/** Same grammar as resource.Quantity (apimachinery quantity.go): number, then a binary/decimal suffix or exponent. */
export const QUANTITY_PATTERN = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?\\d+)?$';

const require = createRequire(import.meta.url);

export function generateSchemaFile(): GeneratedSchemaFile {
  const modelsDir = dirname(require.resolve('kubernetes-models/package.json'));
  const version = (require('kubernetes-models/package.json') as { version: string }).version;
  const rootFiles = Object.values(SCHEMA_ROOTS).map((root) => join(modelsDir, `${root.module}.d.ts`));
  const program = ts.createProgram(rootFiles, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const converter = new TypeToSchema(program.getTypeChecker(), modelsDir);

  const roots: Record<string, string> = {};
  for (const [key, root] of Object.entries(SCHEMA_ROOTS)) {
    const file = program.getSourceFile(join(modelsDir, `${root.module}.d.ts`));
    const decl = file?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === root.interface);
    if (!decl) throw new Error(`kubernetes-models: interface ${root.interface} not found in ${root.module}.d.ts`);
    roots[key] = converter.define(decl);
  }

  return {
    generator: 'libs/k8s-manifests/src/validate/schema/generate-schema.ts',
    kubernetesModels: version,
    roots,
    schema: { $id: SCHEMA_ID, definitions: sortKeys(converter.definitions) },
  };
}

class TypeToSchema {
  readonly definitions: Record<string, JsonSchema> = {};

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly modelsDir: string,
  ) {}

  /** Adds the interface (and everything it references) to the definitions; returns its name. */
  define(decl: ts.InterfaceDeclaration): string {
    const name = this.definitionName(decl);
    if (this.definitions[name]) return name;
    this.definitions[name] = {}; // placeholder first: recursive types terminate
    this.definitions[name] = this.objectSchema(this.checker.getTypeAtLocation(decl.name));
    return name;
  }

  private definitionName(decl: ts.Declaration): string {
    const file = decl.getSourceFile().fileName;
    const apimachinery = file.indexOf('@kubernetes-models/');
    const path = apimachinery >= 0 ? file.slice(apimachinery + '@kubernetes-models/'.length) : relative(this.modelsDir, file);
    return path
      .replace(/\.d\.ts$/, '')
      .split('/')
      .join('.');
  }

  private objectSchema(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const symbol of this.checker.getPropertiesOfType(type)) {
      const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
      if (!decl) continue;
      const typeNode = ts.isPropertySignature(decl) ? decl.type : undefined;
      properties[symbol.name] = this.convert(this.checker.getTypeOfSymbolAtLocation(symbol, decl), typeNode);
      if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(symbol.name);
    }
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const schema: JsonSchema = { type: 'object', properties };
    if (required.length > 0) schema.required = required.sort();
    schema.additionalProperties = index ? this.convert(index.type, index.declaration?.type) : false;
    return schema;
  }

  private convert(type: ts.Type, typeNode?: ts.TypeNode): JsonSchema {
    if (typeNode && /Quantity$/.test(typeNode.getText())) {
      return { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
    }
    if (type.isUnion()) return this.union(type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null))));
    if (type.flags & ts.TypeFlags.String) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (type.isStringLiteral()) return { type: 'string', enum: [type.value] };
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      const itemNode = typeNode && ts.isTypeReferenceNode(typeNode) ? typeNode.typeArguments?.[0] : undefined;
      return { type: 'array', items: item ? this.convert(item, itemNode) : {} };
    }
    const decl = type.symbol?.declarations?.[0];
    if (decl && ts.isInterfaceDeclaration(decl)) return { $ref: `${SCHEMA_ID}#/definitions/${this.define(decl)}` };
    if (type.flags & ts.TypeFlags.Object) return this.objectSchema(type);
    throw new Error(`schema generator: unsupported type ${this.checker.typeToString(type)}`);
  }

  private union(parts: ts.Type[]): JsonSchema {
    if (parts.length === 1 && parts[0]) return this.convert(parts[0]);
    if (parts.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (parts.every((t) => t.isStringLiteral())) {
      return { type: 'string', enum: parts.map((t) => (t as ts.StringLiteralType).value).sort() };
    }
    const simple = parts.map((t) => this.convert(t));
    if (simple.every((s) => Object.keys(s).length === 1 && typeof s.type === 'string')) {
      return { type: [...new Set(simple.map((s) => s.type as string))].sort() };
    }
    return { anyOf: simple };
  }
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
