import { TicketStatus } from '../../generated/prisma/enums';
import { ratingRefusal } from './rating.rule';

describe('R-L4 Rating', () => {
  const allowed: TicketStatus[] = ['NYALA', 'SELESAI', 'DITUTUP'];
  const refused = Object.values(TicketStatus).filter((s) => !allowed.includes(s));

  it.each(allowed)('%s, not rated yet → may be rated', (status) => {
    expect(ratingRefusal(status, null)).toBeNull();
  });

  it.each(refused)('%s → refused (not yet NYALA, or never a unit\'s work)', (status) => {
    expect(ratingRefusal(status, null)).toMatch(/NYALA, SELESAI or DITUTUP/);
  });

  it.each(Object.values(TicketStatus))('%s rated already → refused', (status) => {
    expect(ratingRefusal(status, new Date('2026-11-30T00:00:00Z'))).toMatch(/rated already/);
  });
});
