import { createHash } from 'node:crypto';
import type { Client } from 'pg';

// Scenario 6's customers: `customers` customers with `tickets` tickets between them (ticket i belongs to
// customer i % customers), bulk-inserted with generate_series as seed.ts does. Each customer's phone is
// stored in one of three written forms (0812…, 62812…, +62812…) and has a name with a word of its own,
// so that lookups by ID Pel, phone and name each find one customer. Numbers use the year 2024.

export const LOOKUP_UNITS = 50;

/** Customer c's ID Pel, 12 digits. */
export const idPelOf = (c: number): string => String(520000000000 + c);

/** Customer c's phone as an agent might type it: +62 812-xxxx-xxxx (stored differently for 2 in 3). */
export const typedPhoneOf = (c: number): string => {
  const digits = String(c).padStart(8, '0');
  return `+62 812-${digits.slice(0, 4)}-${digits.slice(4)}`;
};

/** The word of customer c's name: ten letters from md5(c), the same in SQL (seed) and here (queries). */
export function nameWordOf(c: number): string {
  const hex = createHash('md5').update(String(c)).digest('hex').slice(0, 10);
  return hex.replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]);
}

/** A search for customer c by name: 7 letters of its word, upper case, with an accent the name lacks. */
export const nameSearchOf = (c: number): string => nameWordOf(c).slice(1, 8).toUpperCase().replace('E', 'É');

export async function seedCustomers(client: Client, tickets: number, customers: number, progress?: (done: number) => void): Promise<void> {
  const chunk = 200_000;
  for (let from = 0; from < tickets; from += chunk) {
    const to = Math.min(tickets, from + chunk);
    await client.query(
      `WITH base AS (
         SELECT i, i % $3 AS c, (100 + i % $4)::text AS unit, timestamptz '2024-06-01T00:00:00Z' + i * interval '7 seconds' AS at
         FROM generate_series($1::int, $2::int - 1) AS i)
       INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel,
         customer_address, customer_province, problem_type, wo_type, description, urgent, reported_at, sla_deadline,
         confirmation_window_minutes, last_event_at, version, created_at, updated_at)
       SELECT 'G' || unit || '2024' || lpad((i / $4 + 1)::text, 6, '0'), 'GANGGUAN', unit, 'CC123', 'SELESAI',
         'Pelanggan ' || initcap(translate(substr(md5(c::text), 1, 10), '0123456789', 'ghijklmnop')) || ' Santoso',
         CASE c % 3 WHEN 0 THEN '0812' WHEN 1 THEN '62812' ELSE '+62812' END || lpad(c::text, 8, '0'),
         (520000000000 + c)::text, 'Jl. Merdeka No. ' || (1 + c % 250), 'JAWA BARAT', 'PADAM_1_RUMAH', 'AUTODISPATCH',
         'Listrik padam satu rumah', i % 50 = 0, at, at + interval '3 hours', 1440, at, 1, at, at
       FROM base`,
      [from, to, customers, LOOKUP_UNITS],
    );
    progress?.(to);
  }
}
