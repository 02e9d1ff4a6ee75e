import { ChangesPage } from '../changes/changes.view';
import { FieldError, ProblemBody } from '../common/problem.view';
import { EscalationAnswer, EscalationPageAnswer } from '../escalation/escalation.view';
import { HealthAnswer } from '../health/health.view';
import { ConfirmationAnswer, ImlCorrectionAnswer, ReReportAnswer } from '../intake/intake.view';
import { ItsmReferenceAnswer, ItsmReferencePageAnswer } from '../itsm/itsm.view';
import { CoverageAnswer, CoverageListAnswer, OrderAnswer, OrderPageAnswer } from '../listriqu/listriqu.view';
import { CustomerTicketList, HistoryAnswer, PreviewAnswer } from '../lookup/lookup.view';
import { ConsoleSignIn } from '../operator-console/sign-in-config.view';
import { OutageAnswer, OutagePageAnswer } from '../outages/outage.view';
import { OutboundMessageAnswer, OutboundMessagePageAnswer, ReplayAnswer, WebhookAnswer, WebhookListAnswer, WebhookWithSecretAnswer } from '../outbound/outbound.view';
import { AccessLogPage, ErasureAnswer, PersonalDataExport } from '../privacy/privacy.view';
import { DailyListAnswer, IndicatorListAnswer, UnitReport, UnitReportListAnswer } from '../reports/report.view';
import { PolicyAnswer, PolicyListAnswer } from '../sla/policy.view';
import { OutageAttachAnswer } from '../tickets/outage-tickets.service';
import { EventAnswer, EventListAnswer, TicketAnswer, TicketPageAnswer } from '../tickets/ticket.view';
import { UnitAnswer, UnitListAnswer } from '../units/unit.view';

/**
 * Issue 24: every answer class, each a component schema of /docs-json under its @AnswerShape name. The
 * classes live beside the views that fill them; this list only gathers them for SwaggerModule (extraModels),
 * so that `@Answer(200, 'Ticket', …)` finds `#/components/schemas/Ticket`.
 */
export const ANSWER_MODELS = [
  TicketAnswer, TicketPageAnswer, EventAnswer, EventListAnswer,
  EscalationAnswer, EscalationPageAnswer,
  OrderAnswer, OrderPageAnswer, CoverageAnswer, CoverageListAnswer,
  ItsmReferenceAnswer, ItsmReferencePageAnswer,
  UnitAnswer, UnitListAnswer, PolicyAnswer, PolicyListAnswer,
  ReReportAnswer, ConfirmationAnswer, ImlCorrectionAnswer,
  OutageAnswer, OutagePageAnswer, OutageAttachAnswer,
  UnitReport, UnitReportListAnswer, IndicatorListAnswer, DailyListAnswer,
  ChangesPage, HistoryAnswer, CustomerTicketList, PreviewAnswer,
  WebhookAnswer, WebhookWithSecretAnswer, WebhookListAnswer, OutboundMessageAnswer, OutboundMessagePageAnswer, ReplayAnswer,
  HealthAnswer, ConsoleSignIn, FieldError, ProblemBody,
  PersonalDataExport, ErasureAnswer, AccessLogPage,
];
