/** What `generate.mjs --check` did: its exit code and everything it printed. */
export interface CheckResult {
  code: number;
  output: string;
}

/** Checks the committed generated files against the spec. */
export function checkGenerated(generator: URL): Promise<CheckResult>;

/** Checks them against a copy of `spec` (the parsed document) that `edit` changed in place. */
export function checkAgainstEditedSpec<Spec>(
  generator: URL,
  spec: Spec,
  edit: (copy: Spec) => void,
): Promise<CheckResult>;
