/** What a refresh did: the processes it started again and the claims and tasks it ran. */
export interface Refreshed {
  restarted: string[];
  reran: string[];
}
