// IML reports (002, R-I2…R-I4): the classification and the work-order texts of the tickets they make.
export const IML_PROBLEM_TYPE = 'TETANGGA_TIDAK_TURUT_PADAM';
/** The issue-closed Keluhan of R-I2 (outside coverage), R-I3 and R-I4. */
export const IML_KELUHAN = { problemType: 'INFORMASI', subType: 'KONDISI_JARINGAN_LISTRIK' } as const;
export const NON_LISTRIQU_PREFIX = 'LISTRIQU : ';
export const ESDM_TEXT = 'TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136';

// A text joined into a WO as a clause: no surrounding spaces, no closing punctuation of its own, so the
// joint reads "TURUN, TELAH …" and never "TURUN., TELAH …" or "TURUN.. KOREKSI".
const clause = (text: string) => text.trim().replace(/[\s.,;:]+$/, '');

/** R-I2: the WO of a customer who will not pay, marked for ListriQu (002 §10b). */
export function nonListriquWo(problem: string): string {
  const text = problem.trim();
  return text.toUpperCase().startsWith(NON_LISTRIQU_PREFIX.trim()) ? text : `${NON_LISTRIQU_PREFIX}${text}`;
}

/**
 * R-I2 outside coverage: the problem, then `, TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136`, as in
 * 002 §14b's example ("… DI WILAYAH PALEMBANG, TELAH DIINFORMASIKAN …"); a problem already ending so is kept.
 */
export function esdmWo(problem: string): string {
  const text = clause(problem);
  return text.toUpperCase().endsWith(ESDM_TEXT) ? text : `${text}, ${ESDM_TEXT}`;
}

/** R-I3 EDIT (002 Ket. 1A.1b). */
export function correctionWo(original: string, previousNumber: string, note: string): string {
  return `${clause(original)}. KOREKSI ${clause(note)}. NO. LAPOR SEBELUMNYA ${previousNumber}, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.`;
}

/** R-I3 CANCEL (002 Ket. 1B.2). */
export function cancellationWo(original: string, previousNumber: string): string {
  return `${clause(original)}. PELANGGAN MEMBATALKAN LAPORANNYA. NO. LAPOR SEBELUMNYA ${previousNumber}, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.`;
}

/** R-I4 (002 §3B.2a.5): `problem` is the re-report's note, else the original description. */
export function reReportWo(problem: string, previousNumber: string): string {
  return `LAPOR ULANG GANGGUAN IML, ${clause(problem)}, TELAH DIARAHKAN MENGHUBUNGI CC LISTRIQU. NO. LAPOR SEBELUMNYA : ${previousNumber}`;
}
