// What the client, the receiver and their errors report of a value that breaks a schema of the spec.

/** One way a value breaks a schema. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `body.events[1]`, `accountId` or `payload.meeting.id`. */
  path: string;
  /** What was wrong and what was expected. */
  message: string;
}
