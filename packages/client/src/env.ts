// Reads an environment variable where one exists (Node, Bun, Deno with --allow-env) and nowhere
// else: browsers and Workers have no `process`, and the client must not import Node built-ins.

type MaybeProcess = { process?: { env?: Record<string, string | undefined> } };

/** The variable's value, or undefined when it is unset, empty, or the runtime has no env. */
export function readEnv(name: string): string | undefined {
  try {
    const value = (globalThis as MaybeProcess).process?.env?.[name];
    return value === undefined || value === '' ? undefined : value;
  } catch {
    // Deno without --allow-env throws on access: treat it as unset.
    return undefined;
  }
}
