import type { ListriquOrderStatus, TicketStatus } from '../../generated/prisma/enums';
import {
  decideReReport,
  DEFAULT_UPDATE_NOTE,
  isFourthIdenticalNote,
  laporUlang,
  reReportCreatedNote,
  ReReportDecision,
  ReReportInput,
  RuleTicket,
  sameUnitAnswer,
  windowHours,
} from './re-report.rule';

// Pure table tests for DOMAIN.md §4 (R-R1…R-R8), R-I4 and R-C2's "Belum". Times are fixed instants.
const T0 = new Date('2024-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const SLA = at(3 * HOUR); // slaDeadline of the default open ticket
const RESOLVED = at(2 * HOUR);

function ticket(over: Partial<RuleTicket> = {}): RuleTicket {
  return {
    number: 'G5422024000010',
    kind: 'GANGGUAN',
    status: 'LAPOR',
    description: 'Listrik padam satu rumah',
    urgent: false,
    slaDeadline: SLA,
    resolvedAt: null,
    unitAnswer: null,
    confirmationDeadline: null,
    confirmationWindowMinutes: 1440,
    closeReason: null,
    cancelReason: null,
    woType: 'AUTODISPATCH',
    previousNumber: null,
    referenceNumber: null,
    ...over,
  };
}

/** A ticket that reached SELESAI at `resolvedAt` with the given window (R-C1: deadline = resolvedAt + window). */
function selesai(over: Partial<RuleTicket> = {}): RuleTicket {
  const windowMinutes = over.confirmationWindowMinutes ?? 1440;
  const resolvedAt = over.resolvedAt ?? RESOLVED;
  return ticket({
    status: 'SELESAI',
    unitAnswer: 'Telah ditindaklanjuti',
    resolvedAt,
    confirmationWindowMinutes: windowMinutes,
    confirmationDeadline: new Date(resolvedAt.getTime() + windowMinutes * MIN),
    ...over,
  });
}

const deadlineOf = (t: RuleTicket) => t.confirmationDeadline!.getTime();

const noConfirmation = (over: Partial<RuleTicket> = {}) =>
  selesai({ status: 'DITUTUP', closeReason: 'NO_CONFIRMATION', ...over });

/**
 * A chain newest → oldest whose links are real: each ticket refers to the next by referenceNumber
 * (Laporan Baru) unless `over` says otherwise. `answers[i]` is ticket i's unit answer.
 */
function chainOf(newest: RuleTicket, older: Partial<RuleTicket>[]): RuleTicket[] {
  const out: RuleTicket[] = [newest];
  older.forEach((o, i) => {
    const number = `G54220240000${String(9 - i).padStart(2, '0')}`;
    const t = selesai({ status: 'DITUTUP', closeReason: 'NO_CONFIRMATION', number, ...o });
    const newer = out[out.length - 1];
    if (newer.previousNumber === null && newer.referenceNumber === null) out[out.length - 1] = { ...newer, referenceNumber: t.number };
    out.push(t);
  });
  return out;
}

function decide(previous: RuleTicket, reportedAt: Date, extra: Partial<ReReportInput> = {}): ReReportDecision {
  return decideReReport({ previous, chain: [previous], reportedAt, ...extra });
}

/** decide() with a three-answer chain; previous is linked to the two before it. */
function decideWithChain(
  previous: RuleTicket,
  answers: [string | null, string | null],
  reportedAt: Date,
  extra: Partial<ReReportInput> = {},
): ReReportDecision {
  const chain = chainOf(previous, answers.map((unitAnswer) => ({ unitAnswer })));
  return decideReReport({ previous: chain[0], chain, reportedAt, ...extra });
}

const OPEN: TicketStatus[] = ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES'];

describe('helpers', () => {
  it.each([
    [1440, 24],
    [360, 6],
    [60, 1],
    [120, 2],
    [89, 1],
    [90, 2],
    [30, 1],
  ])('windowHours(%i) = %i', (minutes, hours) => {
    expect(windowHours(minutes)).toBe(hours);
  });

  it.each<[string | null, string | null, boolean]>([
    ['Telah ditindaklanjuti', 'Telah ditindaklanjuti', true],
    ['Telah ditindaklanjuti', 'TELAH DITINDAKLANJUTI', true],
    ['  telah ditindaklanjuti ', 'Telah Ditindaklanjuti', true],
    ['\tTelah ditindaklanjuti\n', 'telah ditindaklanjuti', true],
    ['Telah ditindaklanjuti', 'Telah ditindak lanjuti', false],
    ['Telah ditindaklanjuti', 'Telah  ditindaklanjuti', false],
    ['Telah ditindaklanjuti', 'Telah ditindaklanjuti.', false],
    ['Telah ditindaklanjuti', null, false],
    [null, 'Telah ditindaklanjuti', false],
    [null, null, false],
    ['', '', false],
    ['  ', ' ', false],
  ])('sameUnitAnswer(%j, %j) = %s', (a, b, same) => {
    expect(sameUnitAnswer(a, b)).toBe(same);
    expect(sameUnitAnswer(b, a)).toBe(same);
  });
});

describe('R-R1 Update Lapor', () => {
  it.each(OPEN.flatMap((status) => [
    [status, 'long before the deadline', at(1 * MIN)],
    [status, '1 ms before the deadline', at(3 * HOUR - 1)],
  ] as const))('%s, %s → UPDATE_LAPOR', (status, _label, reportedAt) => {
    const previous = ticket({ status, kind: status === 'DIPROSES' ? 'KELUHAN' : 'GANGGUAN' });
    const d = decide(previous, reportedAt, { note: 'Masih padam, mohon dipercepat' });
    expect(d).toEqual<ReReportDecision>({
      treatment: 'UPDATE_LAPOR',
      rule: 'R-R1',
      problemText: 'Masih padam, mohon dipercepat',
      newTicket: null,
      previous: { incrementUpdateCount: true, updateNote: 'Masih padam, mohon dipercepat' },
      escalation: null, // R-R8: only an urgent ticket escalates an Update Lapor
    });
  });

  it.each<[string, string | undefined, string]>([
    ['no note', undefined, DEFAULT_UPDATE_NOTE],
    ['an empty note', '', DEFAULT_UPDATE_NOTE],
    ['a blank note', '   ', DEFAULT_UPDATE_NOTE],
    ['a note with surrounding spaces', '  Kabel putus  ', 'Kabel putus'],
  ])('with %s the update note is %j', (_label, note, updateNote) => {
    const d = decide(ticket(), at(HOUR), { note });
    expect(d.previous).toEqual({ incrementUpdateCount: true, updateNote });
  });

  it.each(OPEN)('urgent %s → one URGENT escalation naming UPDATE_LAPOR (R-R8)', (status) => {
    const d = decide(ticket({ status, urgent: true }), at(HOUR), { note: 'Ada pasien di rumah' });
    expect(d.treatment).toBe('UPDATE_LAPOR');
    expect(d.escalation?.category).toBe('URGENT');
    expect(d.escalation?.note).toContain('UPDATE_LAPOR');
    expect(d.escalation?.note).toContain('G5422024000010');
    expect(d.escalation?.note).toContain('Ada pasien di rumah');
  });
});

describe('R-R2 Lapor Melebihi SLA', () => {
  it.each(OPEN.flatMap((status) => [
    [status, 'exactly at the deadline', SLA],
    [status, '1 ms after the deadline', at(3 * HOUR + 1)],
    [status, 'a day after the deadline', at(3 * HOUR + DAY)],
  ] as const))('%s, %s → LAPOR_MELEBIHI_SLA', (status, _label, reportedAt) => {
    const d = decide(ticket({ status }), reportedAt);
    expect(d.treatment).toBe('LAPOR_MELEBIHI_SLA');
    expect(d.rule).toBe('R-R2');
    expect(d.newTicket).toBeNull();
    expect(d.previous).toEqual({ incrementJumlahLaporMelebihiSla: true });
    expect(d.escalation?.category).toBe('LAPORAN_MELEBIHI_SLA');
    expect(d.escalation?.note).toContain('LAPOR_MELEBIHI_SLA');
    expect(d.escalation?.note).toContain('G5422024000010');
  });

  it.each(OPEN)('urgent %s → URGENT instead of LAPORAN_MELEBIHI_SLA (R-R8)', (status) => {
    const d = decide(ticket({ status, urgent: true }), SLA, { note: 'Sudah 5 jam' });
    expect(d.treatment).toBe('LAPOR_MELEBIHI_SLA');
    expect(d.previous).toEqual({ incrementJumlahLaporMelebihiSla: true });
    expect(d.escalation?.category).toBe('URGENT');
    expect(d.escalation?.note).toContain('LAPOR_MELEBIHI_SLA');
    expect(d.escalation?.note).toContain('Sudah 5 jam');
  });

  it.each([
    ['1 ms before the SLA deadline', at(3 * HOUR - 1), 'R-R1'],
    ['exactly at the SLA deadline', SLA, 'R-R2'],
  ])('boundary: %s → %s', (_label, reportedAt, rule) => {
    expect(decide(ticket(), reportedAt).rule).toBe(rule);
  });
});

describe('R-R3 Lapor Ulang', () => {
  const cases: [string, RuleTicket, Date][] = [
    ['24 h window, 1 ms after resolution', selesai(), at(2 * HOUR + 1)],
    ['24 h window, 1 ms before its end', selesai(), new Date(deadlineOf(selesai()) - 1)],
    ['6 h window, 1 ms before its end', selesai({ confirmationWindowMinutes: 360 }), new Date(deadlineOf(selesai({ confirmationWindowMinutes: 360 })) - 1)],
    ['Keluhan Kompor Induksi, 6 h window', selesai({ kind: 'KELUHAN', number: 'K5422024000010', confirmationWindowMinutes: 360 }), at(2 * HOUR + 5 * HOUR)],
    ['SELESAI past its SLA deadline still inside the window', selesai({ slaDeadline: at(HOUR) }), at(2 * HOUR + 10 * MIN)],
  ];

  it.each(cases)('SELESAI, %s → LAPOR_ULANG', (_label, previous, reportedAt) => {
    const d = decide(previous, reportedAt, { note: 'Padam lagi' });
    expect(d).toEqual<ReReportDecision>({
      treatment: 'LAPOR_ULANG',
      rule: 'R-R3',
      problemText: 'Padam lagi',
      newTicket: {
        status: 'LAPOR',
        description: `Gangguan Berulang: ${previous.number} Listrik padam satu rumah`,
        previousNumber: previous.number,
        referenceNumber: null,
      },
      previous: { markReReported: true, incrementRepeatCount: true, incrementJumlahLaporMelebihiSla: true, closeAs: 'RE_REPORTED' },
      escalation: { category: 'LAPOR_ULANG', note: expect.stringContaining(`LAPOR_ULANG ${previous.number}`) },
    });
  });

  it('the note never changes the description (it is the previous description)', () => {
    const a = decide(selesai(), at(3 * HOUR));
    const b = decide(selesai(), at(3 * HOUR), { note: 'Teks lain' });
    expect(a.newTicket?.description).toBe('Gangguan Berulang: G5422024000010 Listrik padam satu rumah');
    expect(b.newTicket?.description).toBe(a.newTicket?.description);
  });

  it('a Lapor Ulang of a Lapor Ulang prefixes again', () => {
    const previous = selesai({
      number: 'G5422024000011',
      description: 'Gangguan Berulang: G5422024000010 Listrik padam satu rumah',
      previousNumber: 'G5422024000010',
    });
    expect(decide(previous, at(3 * HOUR)).newTicket?.description).toBe(
      'Gangguan Berulang: G5422024000011 Gangguan Berulang: G5422024000010 Listrik padam satu rumah',
    );
  });

  it.each([
    ['24 h', 1440],
    ['6 h', 360],
  ])('urgent, %s window → URGENT instead of LAPOR_ULANG (R-R8)', (_label, confirmationWindowMinutes) => {
    const previous = selesai({ urgent: true, confirmationWindowMinutes });
    const d = decide(previous, new Date(deadlineOf(previous) - 1));
    expect(d.treatment).toBe('LAPOR_ULANG');
    expect(d.escalation?.category).toBe('URGENT');
    expect(d.escalation?.note).toContain('LAPOR_ULANG');
    expect(d.escalation?.note).toContain(previous.number);
  });

  it.each([
    ['24 h window, 1 ms before its end', 1440, -1, 'R-R3'],
    ['24 h window, exactly at its end', 1440, 0, 'R-R6'],
    ['6 h window, 1 ms before its end', 360, -1, 'R-R3'],
    ['6 h window, exactly at its end', 360, 0, 'R-R6'],
  ])('boundary: %s → %s', (_label, confirmationWindowMinutes, offset, rule) => {
    const previous = selesai({ confirmationWindowMinutes });
    expect(decide(previous, new Date(deadlineOf(previous) + offset)).rule).toBe(rule);
  });
});

describe('R-C2 "Belum" confirmation = R-R3 (laporUlang)', () => {
  it.each([false, true])('urgent=%s: the same decision as a re-report inside the window', (urgent) => {
    const previous = selesai({ urgent });
    expect(laporUlang(previous)).toEqual(decide(previous, at(3 * HOUR)));
    expect(laporUlang(previous).escalation?.category).toBe(urgent ? 'URGENT' : 'LAPOR_ULANG');
  });

  it('the note goes into the escalation only', () => {
    const d = laporUlang(selesai(), 'Pelanggan menjawab belum');
    expect(d.newTicket?.description).toBe('Gangguan Berulang: G5422024000010 Listrik padam satu rumah');
    expect(d.escalation?.note).toContain('Pelanggan menjawab belum');
  });
});

describe('R-R4 Fourth identical answer', () => {
  const previousCases: [string, RuleTicket, Date][] = [
    ['SELESAI inside its window', selesai(), at(3 * HOUR)],
    ['SELESAI past its window', selesai(), at(2 * HOUR + 2 * DAY)],
    ['DITUTUP / NO_CONFIRMATION', noConfirmation(), at(2 * HOUR + 2 * DAY)],
    ['SELESAI urgent (no escalation)', selesai({ urgent: true }), at(3 * HOUR)],
    ['Keluhan SELESAI, 6 h window', selesai({ kind: 'KELUHAN', number: 'K5422024000010', confirmationWindowMinutes: 360 }), at(3 * HOUR)],
  ];

  it.each(previousCases)('previous %s + two identical answers before it → ISSUE_CLOSED', (_label, previous, reportedAt) => {
    const d = decideWithChain(previous, ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'], reportedAt, { note: 'Padam lagi' });
    expect(d).toEqual<ReReportDecision>({
      treatment: 'ISSUE_CLOSED',
      rule: 'R-R4',
      problemText: 'Padam lagi',
      newTicket: { status: 'ISSUE_CLOSED', description: 'Padam lagi', previousNumber: null, referenceNumber: previous.number },
      previous: {},
      escalation: null,
    });
  });

  it('without a note the problem text is the previous description', () => {
    const d = decideWithChain(selesai(), ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'], at(3 * HOUR));
    expect(d.newTicket?.description).toBe('Listrik padam satu rumah');
  });

  it.each<[string, string, string, string]>([
    ['identical', 'Telah ditindaklanjuti', 'Telah ditindaklanjuti', 'Telah ditindaklanjuti'],
    ['differing in case', 'Telah ditindaklanjuti', 'TELAH DITINDAKLANJUTI', 'telah Ditindaklanjuti'],
    ['differing in surrounding spaces', ' Telah ditindaklanjuti', 'Telah ditindaklanjuti  ', '\tTelah ditindaklanjuti\n'],
    ['differing in both', '  PELANGGAN TELAH DIHUBUNGI ', 'pelanggan telah dihubungi', 'Pelanggan Telah Dihubungi  '],
  ])('answers %s → R-R4', (_label, a0, a1, a2) => {
    expect(decideWithChain(selesai({ unitAnswer: a0 }), [a1, a2], at(3 * HOUR)).rule).toBe('R-R4');
  });

  it.each<[string, string, string | null, string | null, string]>([
    ['different text in the middle one', 'Telah ditindaklanjuti', 'Pelanggan telah dihubungi', 'Telah ditindaklanjuti', 'R-R3'],
    ['different text in the oldest one', 'Telah ditindaklanjuti', 'Telah ditindaklanjuti', 'Sudah normal', 'R-R3'],
    ['different text in the newest one', 'Sudah normal', 'Telah ditindaklanjuti', 'Telah ditindaklanjuti', 'R-R3'],
    ['inner spacing differs', 'Telah ditindaklanjuti', 'Telah  ditindaklanjuti', 'Telah ditindaklanjuti', 'R-R3'],
    ['a trailing full stop', 'Telah ditindaklanjuti', 'Telah ditindaklanjuti.', 'Telah ditindaklanjuti', 'R-R3'],
    ['one ticket never reached SELESAI', 'Telah ditindaklanjuti', null, 'Telah ditindaklanjuti', 'R-R3'],
  ])('answers with %s → not R-R4 (%s)', (_label, a0, a1, a2, rule) => {
    expect(decideWithChain(selesai({ unitAnswer: a0 }), [a1, a2], at(3 * HOUR)).rule).toBe(rule);
  });

  it.each<[string, RuleTicket[], string]>([
    ['only the previous ticket', [selesai()], 'R-R3'],
    ['the previous ticket and one before it', chainOf(selesai(), [{}]), 'R-R3'],
  ])('chain of %s → R-R4 does not apply', (_label, chain, rule) => {
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(3 * HOUR) }).rule).toBe(rule);
  });

  it.each<[string, number, string]>([
    ['one ticket (past the window)', 1, 'R-R6'],
    ['two tickets (past the window)', 2, 'R-R6'],
    ['three tickets (past the window)', 3, 'R-R4'],
  ])('DITUTUP/NO_CONFIRMATION with a chain of %s → %s', (_label, length, rule) => {
    const chain = chainOf(noConfirmation(), [{}, {}].slice(0, length - 1));
    expect(chain).toHaveLength(length);
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(2 * DAY) }).rule).toBe(rule);
  });

  it('only the newest three count: a different fourth answer does not matter', () => {
    const chain = chainOf(selesai(), [{}, {}, { unitAnswer: 'Sudah normal' }]);
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(3 * HOUR) }).rule).toBe('R-R4');
  });

  it('an empty chain is read as the previous ticket alone', () => {
    expect(decideReReport({ previous: selesai(), chain: [], reportedAt: at(3 * HOUR) }).rule).toBe('R-R3');
  });

  it('a chain given without the previous ticket first is read with it first', () => {
    const full = chainOf(selesai(), [{}, {}]);
    expect(decideReReport({ previous: full[0], chain: full.slice(1), reportedAt: at(3 * HOUR) }).rule).toBe('R-R4');
  });

  it.each<[string, Partial<RuleTicket>]>([
    ['linked by previousNumber (Lapor Ulang)', { previousNumber: 'G5422024000009', referenceNumber: null }],
    ['linked by referenceNumber (Laporan Baru)', { previousNumber: null, referenceNumber: 'G5422024000009' }],
  ])('tickets %s are in the chain', (_label, link) => {
    const chain = chainOf(selesai(link), [{}, {}]);
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(3 * HOUR) }).rule).toBe('R-R4');
  });

  it('a ticket the previous one does not link to is not "before it"', () => {
    const [prev, , ...rest] = chainOf(selesai(), [{}, {}, {}]);
    // prev links to …09, but the caller passed …08 and …07 after it
    expect(decideReReport({ previous: prev, chain: [prev, ...rest], reportedAt: at(3 * HOUR) }).rule).toBe('R-R3');
  });

  it.each<[string, Partial<RuleTicket>]>([
    ['CONFIRMED', { closeReason: 'CONFIRMED' }],
    ['RE_REPORTED', { closeReason: 'RE_REPORTED' }],
  ])('previous DITUTUP / %s is not eligible → R-R7', (_label, over) => {
    expect(decideWithChain(noConfirmation(over), ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'], at(2 * DAY)).rule).toBe('R-R7');
  });

  it.each<[string, Partial<RuleTicket>]>([
    ['DITUTUP confirmed', { status: 'DITUTUP', closeReason: 'CONFIRMED' }],
    ['DITUTUP re-reported', { status: 'DITUTUP', closeReason: 'RE_REPORTED' }],
    ['still SELESAI', { status: 'SELESAI', closeReason: null }],
  ])('a ticket before it that is %s with the same answer counts', (_label, over) => {
    const chain = chainOf(selesai(), [over, over]);
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(3 * HOUR) }).rule).toBe('R-R4');
  });

  it('a ticket before it that never reached SELESAI does not count, whatever its data says', () => {
    const chain = chainOf(selesai(), [{ status: 'BATAL', closeReason: null, cancelReason: 'Salah input' }, {}]);
    expect(decideReReport({ previous: chain[0], chain, reportedAt: at(3 * HOUR) }).rule).toBe('R-R3');
  });

  it.each<[string, TicketStatus]>([
    ['LAPOR', 'LAPOR'],
    ['NYALA', 'NYALA'],
    ['BATAL', 'BATAL'],
    ['ISSUE_CLOSED', 'ISSUE_CLOSED'],
  ])('previous %s is not eligible even with three identical answers in the chain', (_label, status) => {
    const d = decideWithChain(ticket({ status, unitAnswer: 'Telah ditindaklanjuti' }), ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'], at(HOUR));
    expect(d.rule).not.toMatch(/^R-R4/);
  });
});

describe('R-R4 exceptions (customerDisputesUnitAnswer, unitAnswerUnclear)', () => {
  const same: [string, string] = ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'];
  const sel = selesai();
  const sel6 = selesai({ confirmationWindowMinutes: 360 });

  it.each<[string, RuleTicket, Date, string, string]>([
    ['SELESAI inside the window', sel, at(3 * HOUR), 'LAPOR_ULANG', 'R-R3'],
    ['SELESAI 1 ms before the end of a 24 h window', sel, new Date(deadlineOf(sel) - 1), 'LAPOR_ULANG', 'R-R3'],
    ['SELESAI exactly at the end of a 24 h window', sel, new Date(deadlineOf(sel)), 'LAPORAN_BARU', 'R-R6'],
    ['SELESAI exactly at the end of a 6 h window', sel6, new Date(deadlineOf(sel6)), 'LAPORAN_BARU', 'R-R6'],
    ['DITUTUP / NO_CONFIRMATION', noConfirmation(), at(2 * DAY), 'LAPORAN_BARU', 'R-R6'],
  ])('dispute, %s → the rules below as if R-R4 did not apply (%s, %s)', (_label, previous, reportedAt, treatment, rule) => {
    const d = decideWithChain(previous, same, reportedAt, { customerDisputesUnitAnswer: true });
    expect([d.treatment, d.rule]).toEqual([treatment, rule]);
  });

  it.each<[string, RuleTicket, Date, string]>([
    ['SELESAI inside the window', sel, at(3 * HOUR), 'Padam lagi'],
    ['SELESAI 1 ms before the end of a 24 h window', sel, new Date(deadlineOf(sel) - 1), 'Padam lagi'],
    ['SELESAI 1 ms before the end of a 6 h window', sel6, new Date(deadlineOf(sel6) - 1), 'Padam lagi'],
    [
      'SELESAI exactly at the end of a 24 h window',
      sel,
      new Date(deadlineOf(sel)),
      'Padam lagi PELANGGAN PERNAH LAPOR DENGAN NO: G5422024000010, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X24 JAM',
    ],
    [
      'SELESAI exactly at the end of a 6 h window',
      sel6,
      new Date(deadlineOf(sel6)),
      'Padam lagi PELANGGAN PERNAH LAPOR DENGAN NO: G5422024000010, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X6 JAM',
    ],
    [
      'DITUTUP / NO_CONFIRMATION',
      noConfirmation(),
      at(2 * DAY),
      'Padam lagi PELANGGAN PERNAH LAPOR DENGAN NO: G5422024000010, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X24 JAM',
    ],
  ])('unclear, %s → Laporan Baru %j', (_label, previous, reportedAt, description) => {
    const d = decideWithChain(previous, same, reportedAt, { unitAnswerUnclear: true, note: 'Padam lagi' });
    expect(d).toEqual<ReReportDecision>({
      treatment: 'LAPORAN_BARU',
      rule: 'R-R4 unclear',
      problemText: 'Padam lagi',
      newTicket: { status: 'LAPOR', description, previousNumber: null, referenceNumber: previous.number },
      previous: {},
      escalation: null,
    });
  });

  it('unclear for an urgent ticket queues no escalation', () => {
    expect(decideWithChain(selesai({ urgent: true }), same, at(3 * HOUR), { unitAnswerUnclear: true }).escalation).toBeNull();
  });

  it.each<[string, RuleTicket, Date, string]>([
    ['inside the window', sel, at(3 * HOUR), 'R-R3'],
    ['at the end of the window', sel, new Date(deadlineOf(sel)), 'R-R6'],
    ['DITUTUP / NO_CONFIRMATION', noConfirmation(), at(2 * DAY), 'R-R6'],
  ])('both flags, %s → the dispute wins (%s)', (_label, previous, reportedAt, rule) => {
    const d = decideWithChain(previous, same, reportedAt, { customerDisputesUnitAnswer: true, unitAnswerUnclear: true });
    expect(d.rule).toBe(rule);
  });

  it.each<[string, RuleTicket, Date, Partial<ReReportInput>, string]>([
    ['unclear on an open ticket', ticket(), at(HOUR), { unitAnswerUnclear: true }, 'R-R1'],
    ['unclear on SELESAI with a short chain', sel, at(3 * HOUR), { unitAnswerUnclear: true }, 'R-R3'],
    ['unclear on SELESAI past the window, short chain', sel, at(2 * DAY), { unitAnswerUnclear: true }, 'R-R6'],
    ['dispute on SELESAI with a short chain', sel, at(3 * HOUR), { customerDisputesUnitAnswer: true }, 'R-R3'],
    ['unclear on DITUTUP confirmed', noConfirmation({ closeReason: 'CONFIRMED' }), at(2 * DAY), { unitAnswerUnclear: true }, 'R-R7'],
  ])('flags are ignored when R-R4 does not apply: %s → %s', (_label, previous, reportedAt, flags, rule) => {
    expect(decide(previous, reportedAt, flags).rule).toBe(rule);
  });

  it('unclear with differing answers is ignored (R-R3)', () => {
    expect(decideWithChain(sel, ['Sudah normal', 'Telah ditindaklanjuti'], at(3 * HOUR), { unitAnswerUnclear: true }).rule).toBe('R-R3');
  });
});

describe('R-R5 Nyala but still dark', () => {
  const prefix =
    'LAPORAN INI MENGACU PADA LAPORAN SEBELUMNYA NO : G5422024000010, SESUAI INFORMASI PELANGGAN, BELUM DITINDAKLANJUTI & LISTRIK DI LOKASI MASIH PADAM';

  it.each<[TicketStatus, string | undefined, Date, string]>([
    ['NYALA', 'Masih padam sejak pagi', at(HOUR), `${prefix} Masih padam sejak pagi`],
    ['NYALA', undefined, at(HOUR), `${prefix} Listrik padam satu rumah`],
    ['NYALA_SEMENTARA', 'Masih padam sejak pagi', at(HOUR), `${prefix} Masih padam sejak pagi`],
    ['NYALA_SEMENTARA', '', at(HOUR), `${prefix} Listrik padam satu rumah`],
    ['NYALA', undefined, SLA, `${prefix} Listrik padam satu rumah`], // not open: the SLA does not matter
    ['NYALA_SEMENTARA', undefined, at(3 * DAY), `${prefix} Listrik padam satu rumah`],
  ])('%s, note %j at %s → Laporan Baru', (status, note, reportedAt, description) => {
    const d = decide(ticket({ status }), reportedAt, { note });
    expect(d).toEqual<ReReportDecision>({
      treatment: 'LAPORAN_BARU',
      rule: 'R-R5',
      problemText: note || 'Listrik padam satu rumah',
      newTicket: { status: 'LAPOR', description, previousNumber: null, referenceNumber: 'G5422024000010' },
      previous: {},
      escalation: null,
    });
  });

  it.each<TicketStatus>(['NYALA', 'NYALA_SEMENTARA'])('urgent %s queues no escalation', (status) => {
    expect(decide(ticket({ status, urgent: true }), at(HOUR)).escalation).toBeNull();
  });
});

describe('R-R6 Laporan Baru after the window', () => {
  const text = (problem: string, number: string, h: number) =>
    `${problem} PELANGGAN PERNAH LAPOR DENGAN NO: ${number}, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X${h} JAM`;
  const sel = selesai();
  const sel6 = selesai({ kind: 'KELUHAN', number: 'K5422024000010', confirmationWindowMinutes: 360 });

  it.each<[string, RuleTicket, Date, string | undefined, string]>([
    ['SELESAI exactly at the end of a 24 h window', sel, new Date(deadlineOf(sel)), 'Padam lagi', text('Padam lagi', sel.number, 24)],
    ['SELESAI 1 ms after a 24 h window', sel, new Date(deadlineOf(sel) + 1), undefined, text('Listrik padam satu rumah', sel.number, 24)],
    ['SELESAI exactly at the end of a 6 h window', sel6, new Date(deadlineOf(sel6)), 'Kompor mati', text('Kompor mati', sel6.number, 6)],
    ['SELESAI a day after a 6 h window', sel6, new Date(deadlineOf(sel6) + DAY), '  ', text('Listrik padam satu rumah', sel6.number, 6)],
    ['DITUTUP / NO_CONFIRMATION, 24 h', noConfirmation(), at(2 * DAY), 'Padam lagi', text('Padam lagi', sel.number, 24)],
    [
      'DITUTUP / NO_CONFIRMATION, 6 h',
      noConfirmation({ kind: 'KELUHAN', number: 'K5422024000010', confirmationWindowMinutes: 360 }),
      at(DAY),
      undefined,
      text('Listrik padam satu rumah', 'K5422024000010', 6),
    ],
  ])('%s → Laporan Baru', (_label, previous, reportedAt, note, description) => {
    const d = decide(previous, reportedAt, { note });
    expect(d.treatment).toBe('LAPORAN_BARU');
    expect(d.rule).toBe('R-R6');
    expect(d.newTicket).toEqual({ status: 'LAPOR', description, previousNumber: null, referenceNumber: previous.number });
    expect(d.previous).toEqual({});
    expect(d.escalation).toBeNull();
  });

  it('a SELESAI ticket without a stored deadline uses resolvedAt + window', () => {
    const previous = selesai({ confirmationDeadline: null });
    expect(decide(previous, at(2 * HOUR + DAY - 1)).rule).toBe('R-R3');
    expect(decide(previous, at(2 * HOUR + DAY)).rule).toBe('R-R6');
  });

  it.each([false, true])('urgent=%s queues no escalation', (urgent) => {
    expect(decide(noConfirmation({ urgent }), at(2 * DAY)).escalation).toBeNull();
  });
});

describe('R-I4 Repeat of a forwarded report', () => {
  const forwarded = (over: Partial<RuleTicket> = {}) =>
    ticket({ status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU', woType: 'IML_LISTRIQU', ...over });

  it.each<[string, RuleTicket, string | undefined, string]>([
    ['IML_LISTRIQU', forwarded(), 'Belum ada petugas', 'Belum ada petugas'],
    ['IML_NON_LISTRIQU', forwarded({ woType: 'IML_NON_LISTRIQU', description: 'LISTRIQU : MCB turun' }), undefined, 'LISTRIQU : MCB turun'],
    ['urgent (no escalation)', forwarded({ urgent: true }), undefined, 'Listrik padam satu rumah'],
    ['after its SLA deadline (not open)', forwarded(), undefined, 'Listrik padam satu rumah'],
  ])('forwarded Gangguan, %s → LAPOR_ULANG_LISTRIQU with no ticket made here', (_label, previous, note, problemText) => {
    expect(decide(previous, at(DAY), { note })).toEqual<ReReportDecision>({
      treatment: 'LAPOR_ULANG_LISTRIQU',
      rule: 'R-I4',
      problemText,
      newTicket: null,
      previous: {},
      escalation: null,
    });
  });

  it.each<[string, string, string]>([
    ['DITERUSKAN_KE_LISTRIQU', 'DITERUSKAN_KE_LISTRIQU', 'R-I4'],
    ['AUTO_TRANSFER', 'AUTO_TRANSFER', 'R-R7'],
    ['a free-text reason', 'Pelanggan membatalkan', 'R-R7'],
    ['a free text that mentions ListriQu', 'diteruskan ke listriqu', 'R-R7'],
  ])('BATAL with reason %s → %s (R-I4 before R-R7)', (_label, cancelReason, rule) => {
    expect(decide(forwarded({ cancelReason }), at(HOUR)).rule).toBe(rule);
  });
});

describe('R-I6 Cancelled order', () => {
  const forwarded = (over: Partial<RuleTicket> = {}) =>
    ticket({ status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU', woType: 'IML_LISTRIQU', ...over });

  it.each<[ListriquOrderStatus, string]>([
    ['REQUEST', 'R-I4'],
    ['ORDER', 'R-I4'],
    ['PENUGASAN', 'R-I4'],
    ['SELESAI', 'R-I4'],
    ['BATAL', 'R-I6'],
  ])('order %s → %s', (orderStatus, rule) => {
    const d = decideReReport({ previous: forwarded(), chain: [forwarded()], reportedAt: at(HOUR), note: 'Masih padam', orderStatus });
    expect(d.rule).toBe(rule);
    if (rule === 'R-I6') expect(d).toEqual<ReReportDecision>({ treatment: 'LAPORAN_BARU', rule: 'R-I6', problemText: 'Masih padam', newTicket: null, previous: {}, escalation: null });
  });
});

describe('R-R7 Otherwise', () => {
  it.each<[string, Partial<RuleTicket>]>([
    ['DITUTUP confirmed', { status: 'DITUTUP', closeReason: 'CONFIRMED', unitAnswer: 'Telah ditindaklanjuti', resolvedAt: RESOLVED }],
    ['DITUTUP re-reported', { status: 'DITUTUP', closeReason: 'RE_REPORTED', unitAnswer: 'Telah ditindaklanjuti', resolvedAt: RESOLVED }],
    ['BATAL with a free-text reason', { status: 'BATAL', cancelReason: 'Salah alamat' }],
    ['BATAL by auto-transfer (Kompor Induksi, R-J2)', { status: 'BATAL', kind: 'KELUHAN', cancelReason: 'AUTO_TRANSFER' }],
    ['ISSUE_CLOSED', { status: 'ISSUE_CLOSED' }],
  ])('%s → Laporan Baru with the problem text', (_label, over) => {
    const previous = ticket(over);
    for (const [note, description] of [
      ['Padam lagi', 'Padam lagi'],
      [undefined, 'Listrik padam satu rumah'],
    ] as const) {
      expect(decide(previous, at(2 * DAY), { note })).toEqual<ReReportDecision>({
        treatment: 'LAPORAN_BARU',
        rule: 'R-R7',
        problemText: description,
        newTicket: { status: 'LAPOR', description, previousNumber: null, referenceNumber: previous.number },
        previous: {},
        escalation: null,
      });
    }
  });

  it.each([false, true])('urgent=%s queues no escalation', (urgent) => {
    expect(decide(ticket({ status: 'ISSUE_CLOSED', urgent }), at(HOUR)).escalation).toBeNull();
  });
});

describe('R-R8 Urgent', () => {
  const same: [string, string] = ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'];
  const scenarios: [string, (urgent: boolean) => ReReportDecision, string | null][] = [
    ['UPDATE_LAPOR (R-R1)', (urgent) => decide(ticket({ urgent }), at(HOUR)), null],
    ['LAPOR_MELEBIHI_SLA (R-R2)', (urgent) => decide(ticket({ urgent }), SLA), 'LAPORAN_MELEBIHI_SLA'],
    ['LAPOR_ULANG (R-R3)', (urgent) => decide(selesai({ urgent }), at(3 * HOUR)), 'LAPOR_ULANG'],
    ['LAPOR_ULANG ("Belum", R-C2)', (urgent) => laporUlang(selesai({ urgent })), 'LAPOR_ULANG'],
    ['LAPOR_ULANG (R-R4 disputed)', (urgent) => decideWithChain(selesai({ urgent }), same, at(3 * HOUR), { customerDisputesUnitAnswer: true }), 'LAPOR_ULANG'],
  ];

  it.each(scenarios)('%s: non-urgent queues %s, urgent queues URGENT naming the treatment', (_label, run, own) => {
    const plain = run(false);
    const urgent = run(true);
    expect(plain.escalation?.category ?? null).toBe(own);
    expect(urgent.treatment).toBe(plain.treatment);
    expect(urgent.newTicket).toEqual(plain.newTicket);
    expect(urgent.previous).toEqual(plain.previous);
    expect(urgent.escalation?.category).toBe('URGENT');
    expect(urgent.escalation?.note).toContain(urgent.treatment);
    expect(urgent.escalation?.note).toContain('G5422024000010');
  });

  it.each<[string, () => ReReportDecision]>([
    ['R-R4', () => decideWithChain(selesai({ urgent: true }), same, at(3 * HOUR))],
    ['R-R4 unclear', () => decideWithChain(selesai({ urgent: true }), same, at(3 * HOUR), { unitAnswerUnclear: true })],
    ['R-R5', () => decide(ticket({ status: 'NYALA', urgent: true }), at(HOUR))],
    ['R-R6', () => decide(noConfirmation({ urgent: true }), at(2 * DAY))],
    ['R-I4', () => decide(ticket({ status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU', urgent: true }), at(HOUR))],
    ['R-R7', () => decide(ticket({ status: 'BATAL', cancelReason: 'x', urgent: true }), at(HOUR))],
  ])('urgent %s queues no escalation', (rule, run) => {
    const d = run();
    expect(d.rule).toBe(rule);
    expect(d.escalation).toBeNull();
  });
});

describe('precedence (first match wins) and invariants', () => {
  const same: [string, string] = ['Telah ditindaklanjuti', 'Telah ditindaklanjuti'];
  const all: [string, () => ReReportDecision, string][] = [
    ['R-R4 before R-R3 (SELESAI inside the window)', () => decideWithChain(selesai(), same, at(3 * HOUR)), 'R-R4'],
    ['R-R4 before R-R6 (DITUTUP / NO_CONFIRMATION)', () => decideWithChain(noConfirmation(), same, at(2 * DAY)), 'R-R4'],
    ['R-R1 open before the deadline', () => decide(ticket(), at(HOUR)), 'R-R1'],
    ['R-R2 open at the deadline', () => decide(ticket(), SLA), 'R-R2'],
    ['R-R3 SELESAI inside the window', () => decide(selesai(), at(3 * HOUR)), 'R-R3'],
    ['R-R5 NYALA', () => decide(ticket({ status: 'NYALA' }), at(HOUR)), 'R-R5'],
    ['R-R6 SELESAI after the window', () => decide(selesai(), at(2 * DAY)), 'R-R6'],
    ['R-I4 forwarded Gangguan', () => decide(ticket({ status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU' }), at(HOUR)), 'R-I4'],
    ['R-R7 BATAL', () => decide(ticket({ status: 'BATAL', cancelReason: 'x' }), at(HOUR)), 'R-R7'],
    ['R-R4 unclear', () => decideWithChain(selesai(), same, at(3 * HOUR), { unitAnswerUnclear: true }), 'R-R4 unclear'],
  ];

  it.each(all)('%s', (_label, run, rule) => {
    expect(run().rule).toBe(rule);
  });

  it.each(all)('%s: every new ticket but R-R3\'s refers to the previous ticket', (_label, run) => {
    const d = run();
    if (d.newTicket === null) {
      expect(['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG_LISTRIQU']).toContain(d.treatment);
    } else if (d.rule === 'R-R3') {
      expect(d.newTicket).toMatchObject({ status: 'LAPOR', previousNumber: 'G5422024000010', referenceNumber: null });
    } else {
      expect(d.newTicket).toMatchObject({ previousNumber: null, referenceNumber: 'G5422024000010' });
      expect(d.newTicket.status).toBe(d.treatment === 'ISSUE_CLOSED' ? 'ISSUE_CLOSED' : 'LAPOR');
    }
  });

  it('does not change its input', () => {
    const chain = chainOf(selesai(), [{}, {}]).map((t) => Object.freeze({ ...t }));
    const copy = JSON.stringify(chain);
    decideReReport(Object.freeze({ previous: chain[0], chain: Object.freeze(chain), reportedAt: at(3 * HOUR), note: 'x' }));
    expect(JSON.stringify(chain)).toBe(copy);
  });
});

describe('R-R7a the CREATED note tells R-R4\'s issue-closed ticket', () => {
  it.each<[Pick<ReReportDecision, 'treatment' | 'rule'>, boolean]>([
    [{ treatment: 'ISSUE_CLOSED', rule: 'R-R4' }, true],
    [{ treatment: 'LAPORAN_BARU', rule: 'R-R4 unclear' }, false],
    [{ treatment: 'LAPORAN_BARU', rule: 'R-R7' }, false],
  ])('%p → %p', (decision, r4) => {
    expect(isFourthIdenticalNote(reReportCreatedNote(decision, 'G5422026000001'))).toBe(r4);
  });
  it('a note of another intake is not R-R4\'s', () => {
    expect(isFourthIdenticalNote('R-I2: JAMBI di luar layanan ListriQu')).toBe(false);
    expect(isFourthIdenticalNote(null)).toBe(false);
  });
});
