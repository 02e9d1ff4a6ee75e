import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBody } from '../bench/lib/bodies';
import { FastValidation } from '../src/http/fast-validation';
import { BodyValidationPipe, validationOptions } from '../src/http/validation';
import { gangguan as fixtureGangguan, keluhan } from './support/fixtures';

// Issue 30: a valid body skips class-transformer and class-validator's machinery. The fast way must
// never accept what the pipe refuses, and what it builds must equal what the pipe builds; bad input is
// always the pipe's (its rules, its messages). Every DTO of the service, valid and broken bodies.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Dto = new () => object;

// Every DTO class of the service: the exports ending in Dto of every .dto.ts file under src/.
const dtoFiles = (readdirSync(join(__dirname, '../src'), { recursive: true }) as string[]).filter((f) => f.endsWith('.dto.ts'));
const dtos = new Map<string, Dto>(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dtoFiles.flatMap((f) => Object.entries(require(join(__dirname, '../src', f)) as Record<string, unknown>)).filter((e): e is [string, Dto] => /Dto$/.test(e[0]) && typeof e[1] === 'function'),
);
const dto = (name: string): Dto => {
  const found = dtos.get(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

const gangguan = fixtureGangguan() as Record<string, Json>;
/** Valid bodies per DTO: the shapes the tests, the bench and API.md send. */
const VALID: Record<string, Json[]> = {
  CreateTicketDto: [
    gangguan,
    { ...gangguan, urgent: true, reportedAt: '2026-12-01T08:00:00+07:00', keterangan: 'rumah pojok', subType: null },
    { ...gangguan, customer: { name: 'Siti', phone: '+6281298765432', idPel: null, meterNumber: '12345678901' } },
    keluhan({ channel: 'PLN_MOBILE', customer: {} }) as Json,
    keluhan() as Json,
    { ...gangguan, outageId: '0b6f3c1e-8a2d-4f5b-9c7e-1d2a3b4c5d6e', issueClosed: false, referenceNumber: 'G5422026000123' },
    { ...gangguan, woType: 'IML_LISTRIQU', iml: { willingToPay: true, preferredVisitDate: '2026-12-10', latitude: -6.2, longitude: 106.8, regency: 'Bandung' } },
    { ...gangguan, kind: 'KELUHAN', problemType: 'KOMPOR_INDUKSI', komporInduksi: { installationPowered: false, paymentType: 'PRABAYAR', mcbPln: 'ON' } },
    { ...gangguan, channel: 'PLN_MOBILE', appProblem: { category: 'LOGIN', forwardToItsm: true, callType: 'INCIDENT', email: 'budi@example.com', itsmTicketId: 'INC-1' } },
    { ...gangguan, callbackAt: '2026-12-01T09:00:00Z', customer: { name: 'Ω'.repeat(200), phone: '081234567890' } },
    ...Array.from({ length: 40 }, (_, i) => createBody(i, String(100 + (i % 20))) as Json),
  ],
  StatusMoveDto: [
    { status: 'PENUGASAN' },
    { status: 'NYALA', note: 'gardu diperbaiki', occurredAt: '2026-12-01T10:00:00+07:00' },
    { status: 'SELESAI', unitAnswer: 'Sudah diperbaiki' },
    { status: 'BATAL', reason: 'dobel' },
  ],
  ReReportDto: [{}, { note: 'masih padam' }, { note: 'x', reportedAt: '2026-12-01T10:00:00Z', customerDisputesUnitAnswer: true, unitAnswerUnclear: false }],
  UpdateNoteDto: [{ note: 'pelanggan menelepon lagi' }, { note: 'minta dihubungi', requestCallback: true }],
  ConfirmationDto: [{ resolved: true }, { resolved: false, note: 'masih padam' }],
  RatingDto: [{ score: 5 }, { score: 1, comment: 'lambat' }],
};

/** Broken and odd variants of a body: every field removed, swapped for other JSON values, and keys added. */
function variants(body: Json): Json[] {
  const odd: Json[] = [null, '', ' ', 0, 1, -1, 1.5, 1e308, true, false, [], ['a'], {}, { a: 1 }, 'x'.repeat(4001), '😀'.repeat(2000), '😀'.repeat(2001), 'JAWA BARAT', '2026-13-01', 'G5422026000123'];
  const out: Json[] = [];
  const walk = (node: Json, replace: (next: Json | undefined) => Json) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    for (const key of Object.keys(node)) {
      const at = (next: Json | undefined) => {
        const copy = { ...node };
        if (next === undefined) delete copy[key];
        else copy[key] = next;
        return replace(copy);
      };
      out.push(at(undefined));
      for (const value of odd) out.push(at(value));
      walk(node[key], (next) => at(next as Json));
    }
    out.push(replace({ ...node, unknownField: 1 }));
    out.push(replace(JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(node).slice(1)}`.replace(', }', '}'))));
    out.push(replace({ ...node, constructor: 'x' }));
    out.push(replace({ ...node, prototype: {} }));
  };
  walk(body, (next) => next as Json);
  return [...out, null, [], [body], 'text', 7, {}];
}

const metadata = (metatype: Dto): ArgumentMetadata => ({ type: 'body', metatype, data: '' });
const original = new ValidationPipe(validationOptions);

async function byPipe(pipe: ValidationPipe, type: Dto, body: Json): Promise<{ entity?: unknown; error?: unknown }> {
  try {
    return { entity: await pipe.transform(structuredClone(body), metadata(type)) };
  } catch (error) {
    return { error };
  }
}

describe('FastValidation (issue 30)', () => {
  const fast = new FastValidation();

  it('covers the bodies of the burst paths (create, status move, re-report)', () => {
    for (const name of ['CreateTicketDto', 'StatusMoveDto', 'ReReportDto', 'UpdateNoteDto', 'ConfirmationDto', 'RatingDto']) {
      expect([name, fast.covers(dto(name))]).toEqual([name, true]);
    }
  });

  it.each(Object.keys(VALID))('takes every valid %s the fast way, built as the pipe builds it', async (name) => {
    const type = dto(name);
    for (const body of VALID[name]) {
      const expected = await byPipe(original, type, body);
      expect(expected.error).toBeUndefined();
      const entity = fast.instance(type, structuredClone(body));
      expect(entity).toBeDefined();
      expect(entity).toStrictEqual(expected.entity);
      expect(entity).toBeInstanceOf(type);
    }
  });

  it.each(Object.keys(VALID))('never accepts a %s the pipe refuses, nor builds another instance', async (name) => {
    const type = dto(name);
    let refused = 0;
    let fastTaken = 0;
    for (const body of VALID[name].slice(0, 10).flatMap(variants)) {
      const expected = await byPipe(original, type, body);
      const entity = fast.instance(type, structuredClone(body));
      if (expected.error) refused++;
      if (entity === undefined) continue;
      fastTaken++;
      if (expected.error) throw new Error(`fast way accepted ${JSON.stringify(body)} which the pipe refuses`);
      expect(entity).toStrictEqual(expected.entity);
    }
    expect(refused).toBeGreaterThan(0);
    expect(fastTaken).toBeGreaterThan(0);
  });

  it('answers bad input exactly as the plain pipe does (the same problem, the same field errors)', async () => {
    const pipe = new BodyValidationPipe();
    for (const [name, bodies] of Object.entries(VALID)) {
      const type = dto(name);
      for (const body of bodies.slice(0, 3).flatMap(variants)) {
        const [ours, theirs] = [await byPipe(pipe, type, body), await byPipe(original, type, body)];
        expect(ours).toStrictEqual(theirs);
      }
    }
  });

  it('gives every other DTO of the service the answers of the pipe', async () => {
    const pipe = new BodyValidationPipe();
    for (const type of dtos.values()) {
      for (const body of [{}, { x: 1 }, null, [], { note: 'n', reason: 'r', status: 'OPEN', url: 'https://example.com/h', eventTypes: ['*'] }]) {
        expect(await byPipe(pipe, type, body as Json)).toStrictEqual(await byPipe(original, type, body as Json));
      }
    }
  });

  it('leaves to the pipe what it does not know: arrays, nested objects without a class, classes it cannot build', async () => {
    class Inner {
      @IsString()
      name!: string;
    }
    class Untyped {
      @ValidateNested()
      inner!: Inner; // no @Type: class-transformer keeps a plain object, class-validator refuses it
    }
    class Typed {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(fast.covers(Untyped)).toBe(false);
    expect(fast.instance(Untyped, { inner: { name: 'a' } })).toBeUndefined();
    expect(fast.instance(Typed, { inner: { name: 'a' } })).toStrictEqual(Object.assign(new Typed(), { inner: Object.assign(new Inner(), { name: 'a' }) }));
    expect(fast.instance(Typed, { inner: null })).toBeUndefined();
    expect(fast.instance(Typed, { inner: [{ name: 'a' }] })).toBeUndefined();
    expect(fast.instance(Typed, [{ inner: { name: 'a' } }])).toBeUndefined();
    expect(fast.instance(Object, {})).toBeUndefined();
  });
});
