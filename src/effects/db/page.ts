/** A window onto a list, newest first. */
export interface Page {
  /** 1..1000 (the API validates it). */
  limit: number;
  offset: number;
}

/** One page of rows and the number of rows matching the filters, all pages together. */
export interface PageOf<T> {
  rows: T[];
  total: number;
}
