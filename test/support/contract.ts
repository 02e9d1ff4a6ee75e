import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Document, Spectral, type ISpectralDiagnostic } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { ruleset } from './spectral-ruleset';

// The OpenAPI document as the contract the e2e answers are held to (issue 13: it cannot drift).
export type Doc = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, any> } };
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** spectral:oas (every rule, less the ones test/support/spectral-ruleset.ts justifies) over the document; errors and warnings. */
export async function lint(document: unknown): Promise<ISpectralDiagnostic[]> {
  const spectral = new Spectral();
  spectral.setRuleset(ruleset as any);
  const results = await spectral.run(new Document(JSON.stringify(document), Json));
  return results.filter((r) => r.severity <= 1);
}

/** The counts issue 13 compares before and after. */
export function measure(document: Doc) {
  const operations = Object.values(document.paths).flatMap((item) => METHODS.filter((m) => item[m]).map((m) => ({ ...item[m], shared: item.parameters ?? [] })));
  return {
    operations: operations.length,
    schemas: Object.keys(document.components?.schemas ?? {}).length,
    parameters: operations.reduce((n, op) => n + (op.parameters?.length ?? 0) + op.shared.length, 0),
    declaredStatuses: operations.reduce((n, op) => n + Object.keys(op.responses ?? {}).length, 0),
    answersWithSchema: operations.reduce((n, op) => n + Object.values(op.responses ?? {}).filter((r: any) => r.content).length, 0),
  };
}

/**
 * OpenAPI 3.0's `nullable` as JSON Schema for ajv, and every object of an answer closed
 * (additionalProperties false): a field the server sends that the document does not describe fails.
 */
export function strictJsonSchema(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, strictJsonSchema(v)])) : key === 'example' ? value : strictJsonSchema(value);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  if (out.nullable) {
    delete out.nullable;
    if (out.allOf || out.oneOf || out.anyOf) {
      delete out.type;
      return { anyOf: [out, { type: 'null' }] };
    }
    out.type = [out.type, 'null'];
    if (out.enum && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

/** Finds the operation an answer came from and checks its status, headers and body against the document. */
export class ContractValidator {
  private readonly ajv: Ajv;
  private readonly routes: { method: string; pattern: RegExp; template: string; operation: any }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Doc) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(strictJsonSchema(JSON.parse(JSON.stringify({ components: document.components ?? {} }).replace(/#\/components/g, 'doc#/components'))), 'doc');
    for (const [template, item] of Object.entries(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of METHODS) if (item[method]) this.routes.push({ method: method.toUpperCase(), pattern, template, operation: item[method] });
    }
    // literal paths (claim-next) before templated ones ({id}/done is not claim-next)
    this.routes.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  }

  /** Undefined when the answer is as documented, else what is wrong. */
  check(method: string, url: string, status: number, headers: Headers, body: unknown): string | undefined {
    const contentType = headers.get('content-type');
    const path = url.split('?')[0];
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return undefined; // paths outside the document (metrics, docs, unknown paths) are checked by their own tests
    const name = `${method} ${route.template}`;
    const response = route.operation.responses?.[String(status)] ?? route.operation.responses?.default;
    if (!response) return `${name} answered ${status}, which the document does not declare`;
    // every header the document promises is there (Idempotent-Replayed only on a replay)
    const missing = Object.keys(response.headers ?? {}).find((h) => h !== 'Idempotent-Replayed' && !headers.has(h));
    if (missing) return `${name} ${status} lacks the ${missing} header the document declares`;
    if (!response.content) return body === '' || body === undefined ? undefined : `${name} ${status} has a body the document does not declare`;
    const mediaType = (contentType ?? '').split(';')[0].trim();
    const media = response.content[mediaType];
    if (!media) return `${name} ${status} answered ${mediaType}, the document declares ${Object.keys(response.content).join(', ')}`;
    const key = `${name} ${status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(strictJsonSchema(JSON.parse(JSON.stringify(media.schema).replace(/#\/components/g, 'doc#/components'))));
      this.compiled.set(key, validate);
    }
    if (validate(body)) return undefined;
    return `${key} does not match the document: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`;
  }
}
