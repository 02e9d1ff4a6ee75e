import { Prisma } from '../../generated/prisma/client';
import type { Actor } from '../history';

// R-P3, R-P4 (docs/privacy.md): a set of tickets loses its customer's personal data in one statement —
// the identifying columns become null (so the generated lookup keys are null and never match anyone,
// R-L1, and no repeat rule can take an erased ticket for another customer's), free text has the
// customer's identifiers and name replaced by `[dihapus]` (each ticket with its own pattern, from
// scrub.rule.ts), the events' notes likewise, and each ticket gets a PERSONAL_DATA_ERASED event. The
// update gives each ticket a new change position (R-F1), so the feed delivers the erased form.
// Counters, statuses, times and classifications are untouched: reports (§13) stay the same.
const ERASED = '[dihapus]';

/** The identifying columns emptied, and the ticket's new change position (R-F1): every erasure's SET. */
const erasedColumns = (now: Date) => Prisma.sql`customer_name = NULL, customer_phone = NULL, customer_id_pel = NULL,
      customer_meter_number = NULL, customer_address = NULL,
      version = t.version + 1, updated_at = ${now}, last_event_at = greatest(t.last_event_at, ${now})`;

/** After the CTEs t (the erased tickets) and notes: a PERSONAL_DATA_ERASED event each, and the counts. */
const erasedEventsAndCounts = (actor: Actor, now: Date, more = Prisma.empty) => Prisma.sql`events AS (
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
    SELECT number, 'PERSONAL_DATA_ERASED', NULL, NULL, NULL, ${actor.sub}, ${actor.role}, ${now}, ${now} FROM t
    RETURNING 1)
  SELECT (SELECT count(*) FROM t)::int AS tickets, (SELECT count(*) FROM notes)::int AS notes, (SELECT count(*) FROM events)::int AS events${more}`;

export function erasePersonalDataStatement(numbers: string[], patterns: (string | null)[], actor: Actor, now: Date): Prisma.Sql {
  return Prisma.sql`
  WITH e AS (SELECT * FROM unnest(${numbers}::text[], ${patterns}::text[]) AS e(number, pattern)),
  t AS (
    UPDATE tickets t SET ${erasedColumns(now)},
      description = coalesce(regexp_replace(t.description, e.pattern, ${ERASED}, 'gi'), t.description),
      keterangan = coalesce(regexp_replace(t.keterangan, e.pattern, ${ERASED}, 'gi'), t.keterangan),
      unit_answer = coalesce(regexp_replace(t.unit_answer, e.pattern, ${ERASED}, 'gi'), t.unit_answer),
      cancel_reason = coalesce(regexp_replace(t.cancel_reason, e.pattern, ${ERASED}, 'gi'), t.cancel_reason),
      rating_comment = coalesce(regexp_replace(t.rating_comment, e.pattern, ${ERASED}, 'gi'), t.rating_comment)
    FROM e WHERE t.number = e.number AND t.number = ANY(${numbers}::text[])
    RETURNING t.number),
  notes AS (
    UPDATE ticket_events v SET note = regexp_replace(v.note, e.pattern, ${ERASED}, 'gi')
    FROM e WHERE v.ticket_number = e.number AND v.ticket_number = ANY(${numbers}::text[]) -- the index, not a scan of every event
      AND e.pattern IS NOT NULL AND v.note ~* e.pattern
    RETURNING 1),
  ${erasedEventsAndCounts(actor, now)}`;
}

/** The columns erasure reads: the ticket's own identifiers (to find them in its free text) and its status. */
const HELD = Prisma.sql`number, status::text AS status, customer_name AS name, customer_phone AS phone, customer_id_pel AS "idPel", customer_meter_number AS "meterNumber", customer_address AS address`;

/**
 * R-P4: done tickets that still hold personal data and were done before `cutoff`, oldest first, with
 * their free text and version. Not locked: the job runs one instance at a time (retentionLockStatement),
 * and the erasure writes a ticket only if its version is still the one read here, so a ticket changed
 * in between (a rating, an erasure on request) is left for the next batch. A row lock per ticket (FOR
 * UPDATE) wrote every row twice, once for the lock and once for the erasure (issue 28, bench 17).
 */
export function retentionDueStatement(cutoff: Date, batch: number): Prisma.Sql {
  return Prisma.sql`
  SELECT ${HELD}, version, description, keterangan, unit_answer AS "unitAnswer", cancel_reason AS "cancelReason", rating_comment AS "ratingComment"
  FROM tickets
  WHERE status IN ('DITUTUP', 'BATAL', 'ISSUE_CLOSED')
    AND (customer_name IS NOT NULL OR customer_phone IS NOT NULL OR customer_id_pel IS NOT NULL
         OR customer_meter_number IS NOT NULL OR customer_address IS NOT NULL)
    AND closed_at < ${cutoff}
  ORDER BY closed_at LIMIT ${batch}`;
}

/** R-P4: one retention batch at a time across every instance; false when another instance holds it (until its commit). */
export const retentionLockStatement = () => Prisma.sql`SELECT pg_try_advisory_xact_lock(hashtextextended('apkt R-P4 retention', 0)) AS locked`;

/** R-P4's lag: the oldest `closed_at` of a done ticket still holding personal data (the partial index's first entry). */
export const oldestHeldDoneStatement = () => Prisma.sql`
  SELECT min(closed_at) AS at FROM tickets
  WHERE status IN ('DITUTUP', 'BATAL', 'ISSUE_CLOSED')
    AND (customer_name IS NOT NULL OR customer_phone IS NOT NULL OR customer_id_pel IS NOT NULL
         OR customer_meter_number IS NOT NULL OR customer_address IS NOT NULL)`;

/**
 * R-P2, R-P3: one customer's tickets — those holding the ID Pel (or the phone, in any written form)
 * asked for, and with them the tickets that share an identifier of theirs: the same ID Pel, or the same
 * phone or meter number with no other ID Pel (a report of her ID Pel from another phone, of her meter
 * alone). So an erasure leaves no ticket of hers that a lookup by an identifier it erased still finds,
 * and the export shows what the erasure would take. A ticket of another ID Pel is another customer's,
 * even at the same meter (a house changes hands) or phone, and is never taken; one step, not a walk
 * that could chain customers together. Each match is an index read (migration 20261130040000).
 */
const linkedIdentifiers = (key: { idPel: string } | { phoneKey: string }) => {
  const where = 'idPel' in key ? Prisma.sql`customer_id_pel = ${key.idPel}` : Prisma.sql`customer_phone_key = ${key.phoneKey}`;
  return Prisma.sql`WITH linked AS (
    SELECT array_agg(DISTINCT customer_id_pel) FILTER (WHERE customer_id_pel IS NOT NULL) AS pels,
      array_agg(DISTINCT customer_phone_key) FILTER (WHERE customer_phone_key IS NOT NULL) AS phones,
      array_agg(DISTINCT customer_meter_number) FILTER (WHERE customer_meter_number IS NOT NULL) AS meters
    FROM tickets WHERE ${where})`;
};

const isLinked = Prisma.sql`(t.customer_id_pel = ANY(l.pels)
    OR ((t.customer_phone_key = ANY(l.phones) OR t.customer_meter_number = ANY(l.meters))
      AND (t.customer_id_pel IS NULL OR t.customer_id_pel = ANY(l.pels))))`;

/** R-P3: every ticket of one customer (by ID Pel, or by phone in any written form; linked as above), locked. */
export function lockCustomerStatement(key: { idPel: string } | { phoneKey: string }): Prisma.Sql {
  return Prisma.sql`${linkedIdentifiers(key)}
  SELECT ${HELD} FROM tickets t, linked l WHERE ${isLinked} ORDER BY number FOR UPDATE OF t`;
}

/** R-P2: the same customer's tickets with `columns`, newest first, at most `limit`. */
export function linkedTicketsStatement(key: { idPel: string } | { phoneKey: string }, columns: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`${linkedIdentifiers(key)}
  SELECT ${columns} FROM tickets t, linked l WHERE ${isLinked} ORDER BY t.reported_at DESC, t.number DESC LIMIT ${limit}`;
}

/** R-P4: the notes of the tickets' events, for scrubbing outside the database (eraseScrubbedStatement). */
export const eventNotesStatement = (numbers: string[]) => Prisma.sql`
  SELECT id::text AS id, ticket_number AS "ticketNumber", note FROM ticket_events WHERE ticket_number = ANY(${numbers}::text[]) AND note IS NOT NULL`;

export interface ScrubbedTicket {
  number: string;
  /** The version the texts were read at: the ticket is written only if it still has it. */
  version: number;
  description: string;
  keterangan: string | null;
  unitAnswer: string | null;
  cancelReason: string | null;
  ratingComment: string | null;
}

/**
 * R-P4: as erasePersonalDataStatement, with the free text already scrubbed (each ticket with its own
 * identifiers, src/privacy/scrub.rule.ts `scrubber`): the columns take the given texts, and only the
 * notes that changed are written. No pattern per ticket for the database to compile. A ticket whose
 * version moved since its texts were read is not written (nor its notes, nor an event); `erased` names
 * the tickets that were.
 */
export function eraseScrubbedStatement(tickets: ScrubbedTicket[], notes: { id: string; note: string }[], actor: Actor, now: Date): Prisma.Sql {
  const numbers = tickets.map((t) => t.number);
  // the batch as one JSON document: serialised natively, where six text arrays were escaped element by
  // element in JavaScript (pg's arrayString, a tenth of the job's CPU; issue 28, bench 17)
  return Prisma.sql`
  WITH s AS (
    SELECT * FROM json_to_recordset(${JSON.stringify(tickets)}::json)
      AS s(number text, description text, keterangan text, "unitAnswer" text, "cancelReason" text, "ratingComment" text, version int)),
  t AS (
    UPDATE tickets t SET ${erasedColumns(now)},
      description = s.description, keterangan = s.keterangan, unit_answer = s."unitAnswer", cancel_reason = s."cancelReason",
      rating_comment = s."ratingComment"
    FROM s WHERE t.number = s.number AND t.number = ANY(${numbers}::text[]) AND t.version = s.version
    RETURNING t.number),
  notes AS (
    UPDATE ticket_events v SET note = n.note
    FROM unnest(${notes.map((n) => n.id)}::bigint[], ${notes.map((n) => n.note)}::text[]) AS n(id, note)
    WHERE v.id = n.id AND v.id = ANY(${notes.map((n) => n.id)}::bigint[]) AND v.ticket_number IN (SELECT number FROM t)
    RETURNING 1),
  ${erasedEventsAndCounts(actor, now, Prisma.sql`, (SELECT coalesce(array_agg(number), '{}') FROM t) AS erased`)}`;
}
