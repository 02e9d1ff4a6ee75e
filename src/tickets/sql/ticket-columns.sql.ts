import { Prisma, type Ticket } from '../../generated/prisma/client';

// Ticket columns under the Prisma model's field names, for raw statements that return whole tickets.
export const TICKET_FIELDS: [column: string, field: keyof Ticket][] = [
  ['number', 'number'], ['kind', 'kind'], ['unit_code', 'unitCode'], ['channel', 'channel'], ['status', 'status'],
  ['customer_name', 'customerName'], ['customer_phone', 'customerPhone'], ['customer_id_pel', 'customerIdPel'],
  ['customer_meter_number', 'customerMeterNumber'], ['customer_address', 'customerAddress'], ['customer_province', 'customerProvince'],
  ['problem_type', 'problemType'], ['sub_type', 'subType'], ['wo_type', 'woType'], ['description', 'description'], ['urgent', 'urgent'],
  ['reported_at', 'reportedAt'], ['sla_deadline', 'slaDeadline'], ['over_sla', 'overSla'],
  ['confirmation_window_minutes', 'confirmationWindowMinutes'], ['auto_transfer_at', 'autoTransferAt'], ['resolved_at', 'resolvedAt'],
  ['unit_answer', 'unitAnswer'], ['confirmation_deadline', 'confirmationDeadline'], ['closed_at', 'closedAt'], ['close_reason', 'closeReason'],
  ['cancel_reason', 'cancelReason'], ['update_count', 'updateCount'], ['repeat_count', 'repeatCount'],
  ['jumlah_lapor_melebihi_sla', 'jumlahLaporMelebihiSla'], ['re_reported', 'reReported'], ['previous_number', 'previousNumber'],
  ['reference_number', 'referenceNumber'], ['callback_at', 'callbackAt'], ['transferred_to_number', 'transferredToNumber'],
  ['transferred_from_number', 'transferredFromNumber'], ['keterangan', 'keterangan'], ['successor_number', 'successorNumber'],
  ['responded_at', 'respondedAt'], ['nyala_at', 'nyalaAt'], ['sla_breached_at', 'slaBreachedAt'], ['outage_id', 'outageId'],
  ['rating_score', 'ratingScore'], ['rating_comment', 'ratingComment'], ['rated_at', 'ratedAt'], ['last_event_at', 'lastEventAt'], ['version', 'version'],
  ['created_at', 'createdAt'], ['updated_at', 'updatedAt'], ['customer_phone_key', 'customerPhoneKey'], ['customer_name_key', 'customerNameKey'], ['change_xid', 'changeXid'],
];
export const TICKET_COLUMNS = Prisma.raw(TICKET_FIELDS.map(([column, field]) => `"${column}" AS "${field}"`).join(', '));
const DATE_FIELDS = new Set<keyof Ticket>(['reportedAt', 'slaDeadline', 'autoTransferAt', 'resolvedAt', 'confirmationDeadline', 'closedAt', 'callbackAt', 'respondedAt', 'nyalaAt', 'slaBreachedAt', 'ratedAt', 'lastEventAt', 'createdAt', 'updatedAt']);

/** A ticket row as row_to_json wrote it over TICKET_COLUMNS, as pg would have returned it. */
export function ticketFromSnapshot(data: unknown): Ticket {
  const ticket = { ...(data as Record<string, unknown>) };
  for (const field of DATE_FIELDS) if (typeof ticket[field] === 'string') ticket[field] = new Date(ticket[field]);
  if (typeof ticket.changeXid === 'number' || typeof ticket.changeXid === 'string') ticket.changeXid = BigInt(ticket.changeXid); // R-F1, as Prisma reads it
  return ticket as unknown as Ticket;
}
