import { Injectable } from '@nestjs/common';

/**
 * "Tickets were written in this process and it has committed": what the ticket core says after every
 * write (TicketsService), heard by whoever must act on it soon (the outbound dispatcher, whose ticket
 * events no longer NOTIFY: migration 20261204081000). In process only, so saying it costs no round trip.
 */
@Injectable()
export class LocalCommits {
  private readonly listeners: (() => void)[] = [];

  onTickets(listener: () => void): void {
    this.listeners.push(listener);
  }

  ticketsCommitted(): void {
    for (const listener of this.listeners) listener();
  }
}
