import { useEffect, useState } from 'react';
import type { Ticket } from '../api/types';
import { CreateTicketForm, type CustomerPrefill } from '../components/create-ticket-form';
import { CustomerSearch } from '../components/customer-search';
import { EscalationForm } from '../components/escalation-form';
import { ReReportForm } from '../components/re-report-form';

// Agents type while they talk: every action has a key. Alt+Shift+letter, matched on the physical key
// (`code`: Option+Shift changes the letter on a Mac), leaves the browser's Alt+letter menus and access
// keys and the screen readers' Insert/Caps Lock commands alone.
const SHORTCUTS: { code: string; key: string; label: string; act: () => void }[] = [
  { code: 'KeyC', key: 'C', label: 'Cari pelanggan', act: () => focus('#form-cari input[type="search"]') },
  { code: 'KeyN', key: 'N', label: 'Buat laporan (ke kolom Nama)', act: () => focus('#form-laporan input[autocomplete="off"]') },
  { code: 'KeyU', key: 'U', label: 'Uraian (kata-kata pelanggan)', act: () => focus('#form-laporan textarea') },
  { code: 'KeyS', key: 'S', label: 'Kirim laporan', act: () => submit('#form-laporan') },
  { code: 'KeyP', key: 'P', label: 'Proses laporan berulang dengan perlakuan aturan', act: () => click('#kirim-perlakuan') },
  { code: 'KeyK', key: 'K', label: 'Kosongkan formulir laporan', act: () => click('#form-laporan [data-action="kosongkan"]') },
  { code: 'KeyL', key: 'L', label: 'Lapor Ulang dengan nomor', act: () => focus('#form-lapor-ulang input') },
  { code: 'KeyE', key: 'E', label: 'Eskalasi ke back office', act: () => focus('#form-eskalasi select') },
];

const element = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector);
function focus(selector: string) {
  const target = element(selector);
  target?.scrollIntoView({ block: 'center' });
  target?.focus();
}
const click = (selector: string) => element<HTMLButtonElement>(selector)?.click();
const submit = (selector: string) => element<HTMLFormElement>(selector)?.requestSubmit();

function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Ctrl+Enter sends the form being typed in (Enter alone is a new line in a text area)
      if (e.ctrlKey && !e.altKey && e.key === 'Enter' && e.target instanceof HTMLElement) {
        const form = e.target.closest('form');
        if (form) {
          e.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return;
      const shortcut = SHORTCUTS.find((s) => s.code === e.code);
      if (!shortcut) return;
      e.preventDefault();
      shortcut.act();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

// The contact-centre agent (cso): the caller's history fills the form; a caller whose ticket is still in
// hand gets the treatment the rules give (R-R1…R-R8) before any new ticket; re-report by number
// (previewed first); escalations to the back office (R-E1).
export function AgentDesk() {
  useShortcuts();
  const [reReportNumber, setReReportNumber] = useState('');
  const [escalationNumber, setEscalationNumber] = useState('');
  const [found, setFound] = useState<{ prefill: { key: number; values: CustomerPrefill }; tickets: Ticket[] } | null>(null);
  const goTo = (selector: string) => () => setTimeout(() => focus(selector), 0);
  return (
    <div className="agent-desk">
      <h1>Meja Agen</h1>
      <aside className="shortcuts" aria-labelledby="pintasan">
        <h2 id="pintasan">Pintasan papan ketik</h2>
        <ul className="plain">
          {SHORTCUTS.map((s) => (
            <li key={s.code}>
              <kbd>Alt+Shift+{s.key}</kbd> {s.label}
            </li>
          ))}
          <li>
            <kbd>Ctrl+Enter</kbd> Kirim formulir yang sedang diisi
          </li>
        </ul>
      </aside>
      <section aria-labelledby="cari-pelanggan">
        <h2 id="cari-pelanggan">Cari pelanggan</h2>
        <CustomerSearch
          onReReport={(number) => {
            setReReportNumber(number);
            goTo('#form-lapor-ulang textarea')();
          }}
          onEscalate={(number) => {
            setEscalationNumber(number);
            goTo('#form-eskalasi textarea')();
          }}
          onCustomer={(values, tickets) => setFound({ prefill: { key: Date.now(), values }, tickets })}
        />
      </section>
      <div className="columns">
        <section aria-labelledby="buat-laporan">
          <h2 id="buat-laporan">Buat laporan</h2>
          <CreateTicketForm
            id="form-laporan"
            prefill={found?.prefill}
            customerTickets={found?.tickets}
            onCleared={() => setFound(null)}
            onCreated={(ticket) => setEscalationNumber(ticket.number)}
            onRepeated={(answer) => setEscalationNumber(answer.ticket.number)}
          />
        </section>
        <div className="stack">
          <section aria-labelledby="lapor-ulang">
            <h2 id="lapor-ulang">Lapor Ulang</h2>
            <ReReportForm
              number={reReportNumber}
              onNumber={setReReportNumber}
              onSent={() => setFound((f) => f && { ...f, tickets: [] })} // the found tickets changed: no stale repeat offer
            />
          </section>
          <section aria-labelledby="eskalasi">
            <h2 id="eskalasi">Eskalasi ke back office</h2>
            <EscalationForm
              ticketNumber={escalationNumber}
              onTicketNumber={setEscalationNumber}
              customer={found ? { name: found.prefill.values.name ?? '', phone: found.prefill.values.phone ?? '' } : undefined}
            />
          </section>
        </div>
      </div>
    </div>
  );
}
