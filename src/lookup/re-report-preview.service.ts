import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { PrismaService } from '../database/prisma.service';
import { RepeatReportsService, type ReReportAnswer } from '../intake/repeat-reports.service';
import { TicketsService } from '../tickets/tickets.service';
import type { PreviewQuery } from './lookup.query';
import type { PreviewAnswer } from './lookup.view';

export type { PreviewAnswer };

/** Carries the re-report's answer out of the transaction it rolls back. */
class Preview extends Error {
  constructor(readonly answer: ReReportAnswer) {
    super('re-report preview (rolled back)');
  }
}

// R-L2: what a re-report would do now, changing nothing. It runs the re-report itself — the same loads,
// the same pure rule (decideReReport), the same texts, escalations and ListriQu / ITSM steps — inside a
// transaction that is always rolled back, so the preview cannot drift from the re-report as §4 grows,
// and a re-report that would be refused answers the same 409. The one trace it leaves: a new ticket's
// number is drawn from its sequence and not given back (R-T2 allows gaps).
@Injectable()
export class ReReportPreviewService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tickets: TicketsService,
    private readonly repeats: RepeatReportsService,
    private readonly clock: Clock,
  ) {}

  async preview(caller: Caller, number: string, query: PreviewQuery): Promise<PreviewAnswer> {
    const now = this.clock.now();
    const reportedAt = this.tickets.clientTime('reportedAt', query.reportedAt, now);
    const answer = await this.prisma
      .$transaction(async (tx) => {
        throw new Preview(await this.repeats.reReportIn(tx, caller, number, query, reportedAt, now));
      })
      .catch((error: unknown) => {
        if (error instanceof Preview) return error.answer;
        throw error;
      });
    return previewOf(answer);
  }
}

function previewOf(answer: ReReportAnswer): PreviewAnswer {
  const isNew = answer.ticket.number !== answer.previous.number;
  return {
    treatment: answer.treatment,
    ticket: isNew ? { ...answer.ticket, number: null } : answer.ticket,
    escalations: answer.escalations.map((e) => ({ category: e.category, note: e.note })),
  };
}
