import { loggedUrl } from './logged-url';

describe('§18 request logs keep no personal data of the query', () => {
  it.each([
    ['/api/v1/tickets?unitCode=542&limit=50', '/api/v1/tickets?unitCode=542&limit=50'],
    ['/api/v1/customers/history?phone=081234567890', '/api/v1/customers/history?phone=…'],
    ['/api/v1/customers/history?name=Budi%20Santoso', '/api/v1/customers/history?name=…'],
    ['/api/v1/personal-data?idPel=512345678901', '/api/v1/personal-data?idPel=…'],
    ['/api/v1/customers/history?meterNumber=14000000201', '/api/v1/customers/history?meterNumber=…'],
    ['/api/v1/tickets/G5422026000001/re-report-preview?note=Pak%20Budi%20di%20Jl.%20Mawar&reportedAt=2026-12-01T00:00:00Z', '/api/v1/tickets/G5422026000001/re-report-preview?note=…&reportedAt=2026-12-01T00:00:00Z'],
    ['/api/v1/personal-data/access-log?PHONE=0812&from=x', '/api/v1/personal-data/access-log?PHONE=…&from=x'],
    ['/api/v1/x?%70hone=0812', '/api/v1/x?%70hone=…'],
    ['/api/v1/x?%E0%A4%A=1', '/api/v1/x?%E0%A4%A=1'],
    ['/health/ready', '/health/ready'],
  ])('%s', (url, expected) => expect(loggedUrl(url)).toBe(expected));
});
