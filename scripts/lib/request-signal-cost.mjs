// What a per-call time limit costs before any byte is sent: building a Request that follows an
// AbortSignal (undici ties the two with a listener, a WeakRef and a FinalizationRegistry entry)
// against building the same Request without one. The loop yields like real calls do, so the
// registry's cleanups run as they would in a service.

const CREATE_URL = 'https://api.bench.example/client/v4/accounts/acc/realtime/kit/app/webhooks';
const HEADERS = { authorization: 'Bearer bench-token', 'content-type': 'application/json' };
const BODY = '{"name":"bench","url":"https://bench.example.com/rtk","events":["meeting.started"]}';

async function microsPerCall(build, calls) {
  const run = async (n) => {
    for (let i = 0; i < n; i += 1) {
      build();
      await null;
      if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await run(calls / 5); // warm up
  const start = process.hrtime.bigint();
  await run(calls);
  return Number(process.hrtime.bigint() - start) / 1e3 / calls;
}

/** Microseconds to build the Request a create sends, with and without a fresh AbortSignal. */
export async function requestSignalCost(calls = 40_000) {
  const init = { method: 'POST', headers: HEADERS, body: BODY, redirect: 'manual' };
  const plain = await microsPerCall(() => new Request(CREATE_URL, init), calls);
  const signalled = await microsPerCall(
    () => new Request(CREATE_URL, { ...init, signal: new AbortController().signal }),
    calls,
  );
  return { plain, signalled };
}
