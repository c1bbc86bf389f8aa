// Runs the bundled smoke test with the JSON config in argv and prints the result (Node, Bun, Deno).
import { smoke } from './smoke.bundle.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : globalThis.process.argv.slice(2);
console.log(JSON.stringify(await smoke(JSON.parse(args[0]))));
