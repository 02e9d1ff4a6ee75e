import { appProblemKeterangan } from './app-problem.rule';

describe('R-A1…R-A4 keterangan of an app-problem Keluhan', () => {
  it.each([
    ['R-A1 answered at the desk', null, 'New PLN Mobile – Reset Password User'],
    ['R-A2 forwarded', { kind: 'NEW' }, 'New PLN Mobile – Reset Password User – eskalasi ITSM'],
    [
      'R-A3 repeat while open',
      { kind: 'REPEAT_OPEN', itsmTicketId: '733905' },
      'New PLN Mobile – Reset Password User – eskalasi ITSM Pelanggan melaporkan kembali No. Tiket ITSM 733905',
    ],
    [
      'R-A4 repeat after done',
      { kind: 'REPEAT_DONE', previousItsmTicketId: '733905', itsmTicketId: '748975' },
      'New PLN Mobile – Reset Password User – eskalasi ITSM No. Tiket ITSM lama 733905, baru 748975',
    ],
  ] as const)('%s', (_, outcome, expected) => {
    expect(appProblemKeterangan('Reset Password User', outcome)).toBe(expected);
  });
});
