import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import type { IdempotentRequest } from '../http/idempotency';
import type { RatingDto } from './dto/rating.dto';
import { ratingRefusal } from './rules/rating.rule';
import { ticketView, type TicketAnswer } from './ticket.view';
import { TicketsService } from './tickets.service';
import { TicketException, TicketErrorCode } from './ticket.exception';

// R-L4: the customer's rating, stored on the ticket with its RATED event in one transaction; the
// ticket's row lock makes a second, concurrent rating see the first and get 409.
@Injectable()
export class RatingService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  async rate(caller: Caller, number: string, dto: RatingDto, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      const refusal = ratingRefusal(ticket.status, ticket.ratedAt);
      if (refusal) throw new TicketException(TicketErrorCode.INVALID_TRANSITION, `${number}: ${refusal}`);
      const comment = dto.comment ?? null;
      const updated = await this.tickets.change(
        tx,
        ticket,
        { ratingScore: dto.score, ratingComment: comment, ratedAt: now },
        [{ type: 'RATED', note: comment ? `${dto.score}/5: ${comment}` : `${dto.score}/5` }],
        { sub: caller.sub, role: caller.role },
        now,
        now,
      );
      return ticketView(updated);
    }, idempotent);
  }
}
