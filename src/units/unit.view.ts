import { AnswerShape, Field, list, matching, nullable, oneOf, ref, string } from '../common/answer-shape';
import type { Unit } from '../generated/prisma/client';
import { UNIT_LEVELS, type UnitLevel } from './unit-tree.rules';

// A unit row becomes API.md's Unit here; the class is the document's Unit (issue 24).

const UNIT_EXAMPLE = { code: '542', name: 'ULP Bandung Utara', timeZone: 'Asia/Jakarta', level: 'ULP', parentCode: '5401' };

@AnswerShape({ name: 'Unit', description: 'A PLN unit in the tree UID → UP3 → ULP (R-H1).', example: { ...UNIT_EXAMPLE, notifyEmails: ['dm@example.com'] } })
export class UnitAnswer {
  @Field(matching('^\\d{2,5}$', 'a ULP: 3 digits; a UID or UP3: 2–5 digits (R-H1)')) code!: string;
  @Field(string()) name!: string;
  @Field(string('IANA zone')) timeZone!: string;
  @Field(oneOf(UNIT_LEVELS)) level!: UnitLevel;
  @Field(nullable(matching('^\\d{2,5}$', 'the unit one level up; null for a UID and a ULP not placed yet'))) parentCode!: string | null;
  @Field(list({ kind: 'schema', schema: { type: 'string', format: 'email' } }, 'the over-SLA mail addresses (R-W7); shown to admin only'), { optional: true }) notifyEmails?: string[];
}

@AnswerShape({ name: 'UnitList', description: 'The units (filtered by parentCode and level when asked).', example: { items: [UNIT_EXAMPLE] } })
export class UnitListAnswer {
  @Field(list(ref(UnitAnswer))) items!: UnitAnswer[];
}

export const unitView = (u: Unit, admin: boolean): UnitAnswer => ({
  code: u.code,
  name: u.name,
  timeZone: u.timeZone,
  level: u.level,
  parentCode: u.parentCode,
  ...(admin ? { notifyEmails: u.notifyEmails } : {}),
});
