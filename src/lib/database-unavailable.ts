/**
 * No database connection could be had in time: the database does not answer, or every pooled
 * connection stayed busy past the pool's wait (a burst of writes serialised on one lock). Nothing
 * was read or written; the server answers 503 with Retry-After, never 500.
 */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable'
  constructor(cause: unknown) {
    super('no database connection available', { cause })
  }
}
