/** The folder of PostgreSQL's server programs, or undefined when it is not installed. */
export declare function postgresBinDir(): string | undefined;
/** Whether tests of `what` can run: throws in CI when PostgreSQL is missing, else warns. */
export declare function postgresServerForTests(what: string): boolean;
/** A throwaway PostgreSQL cluster on a loopback port. */
export interface PostgresServer {
  /** A connection string for the `postgres` superuser (trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  /** The postmaster's pid. */
  readonly pid: number;
  /** Ends the server by its pid and removes its folder. */
  stop(): Promise<void>;
}
/** Starts a throwaway cluster on a free loopback port. */
export declare function startPostgresServer(): Promise<PostgresServer>;
