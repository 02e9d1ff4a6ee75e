import { useState } from 'react';
import { CreateTicketForm } from '../components/create-ticket-form';
import { CustomerSearch } from '../components/customer-search';
import { ReReportForm } from '../components/re-report-form';

// The contact-centre agent (cso): the caller's history, new Gangguan/Keluhan reports and the
// re-report of a number (previewed first).
export function AgentDesk() {
  const [reReportNumber, setReReportNumber] = useState('');
  return (
    <div className="agent-desk">
      <h1>Meja Agen</h1>
      <section aria-labelledby="cari-pelanggan">
        <h2 id="cari-pelanggan">Cari pelanggan</h2>
        <CustomerSearch
          onReReport={(number) => {
            setReReportNumber(number);
            document.getElementById('lapor-ulang')?.scrollIntoView();
          }}
        />
      </section>
      <div className="columns">
        <section aria-labelledby="buat-laporan">
          <h2 id="buat-laporan">Buat laporan</h2>
          <CreateTicketForm />
        </section>
        <section aria-labelledby="lapor-ulang">
          <h2 id="lapor-ulang">Lapor Ulang</h2>
          <ReReportForm number={reReportNumber} onNumber={setReReportNumber} />
        </section>
      </div>
    </div>
  );
}
