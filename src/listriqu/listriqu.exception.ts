import { DomainException } from '../common/domain.exception';

/** What the ListriQu orders refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum ListriquErrorCode {
  NOT_FOUND = 'LISTRIQU_NOT_FOUND',
  INVALID_TRANSITION = 'LISTRIQU_INVALID_TRANSITION',
}

export class ListriquException extends DomainException<ListriquErrorCode> {}
