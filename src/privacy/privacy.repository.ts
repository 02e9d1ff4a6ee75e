import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { PersonalDataErasure } from '../generated/prisma/client';

// The erasures' record (R-P3, R-P4): who, when, why, how many rows — never the data. No rules here.
@Injectable()
export class PrivacyRepository {
  recordErasure(tx: Tx, erasure: PersonalDataErasure): Promise<PersonalDataErasure> {
    return tx.personalDataErasure.create({ data: erasure });
  }
}
