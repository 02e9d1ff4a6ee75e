// The answer shapes the pages use. Today from pending-contract.ts; after the OpenAPI document
// describes the answers, from components['schemas'] of schema.d.ts.
export type {
  AttachAnswer,
  DailyRow,
  IndicatorRow,
  Outage,
  UnitReport,
  CustomerHistory,
  CustomerSummary,
  ReReportPreview,
  Escalation,
  EscalationCategory,
  Problem,
  ReReportAnswer,
  Ticket,
  TicketKind,
  TicketStatus,
  Treatment,
  Unit,
} from './pending-contract';
