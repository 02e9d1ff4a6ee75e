import { CreateTicketForm } from '../components/create-ticket-form';
import { ReReportForm } from '../components/re-report-form';

// The contact-centre agent (cso): new Gangguan/Keluhan reports and the re-report of a number.
export function AgentDesk() {
  return (
    <div className="agent-desk">
      <h1>Meja Agen</h1>
      <div className="columns">
        <section aria-labelledby="buat-laporan">
          <h2 id="buat-laporan">Buat laporan</h2>
          <CreateTicketForm />
        </section>
        <section aria-labelledby="lapor-ulang">
          <h2 id="lapor-ulang">Lapor Ulang</h2>
          <ReReportForm />
        </section>
      </div>
    </div>
  );
}
