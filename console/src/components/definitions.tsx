import { ACTIVE_DEFINITION, OPEN_DEFINITION } from '../labels';

/** The one definition of "aktif" and "terbuka", shown wherever those counts are (dashboard, reports). */
export function ActiveDefinition() {
  return (
    <p className="help definition" data-testid="definisi-aktif">
      {ACTIVE_DEFINITION} {OPEN_DEFINITION}
    </p>
  );
}
