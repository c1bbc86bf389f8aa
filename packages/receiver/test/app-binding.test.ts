// Deliveries bound to your app. RealtimeKit signs every customer's deliveries with one key, so
// another customer's webhook pointed at your URL sends validly signed events; a secret in your
// webhook's URL, and allowlists of your webhook ids and organization, refuse them.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskUrlSecret, withUrlSecret } from '@realtimekit-webhooks/rules';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookReceiverOptions } from '../src/index.js';
import { nodeHandler } from '../src/node.js';
import { deliveryHeaders, exampleFor, keyAnswer, makeSigner } from './helpers.js';

const SECRET = 'k3Y-2jv9_Qw7xZpL0mN4bR8tS6uV1yA5';
const NEXT_SECRET = 'nEw-sEcReT_0123456789abcdefghijk';
let signer: Awaited<ReturnType<typeof makeSigner>>;
beforeAll(async () => {
  signer = await makeSigner();
});

let sent = 0;
/** A validly signed delivery of `event` (its own body), to `url`, from webhook `webhookId`. */
async function delivery(
  url: string,
  options: { webhookId?: string; payload?: Record<string, unknown> } = {},
) {
  sent += 1;
  const body = JSON.stringify({ ...(options.payload ?? exampleFor('meeting.ended')), sent });
  const headers = {
    ...deliveryHeaders(await signer.sign(body), `bound-${sent}`),
    ...(options.webhookId ? { 'rtk-webhook-id': options.webhookId } : {}),
  };
  return new Request(url, { method: 'POST', body, headers });
}

function receiverWith(options: Omit<WebhookReceiverOptions, 'publicKey'>) {
  return createWebhookReceiver({ publicKey: signer.publicKeyPem, ...options });
}

async function answerOf(response: Response) {
  return [response.status, await response.text()];
}

describe('urlSecret', () => {
  it("handles a delivery to the URL carrying the secret; refuses another customer's (403), running nothing", async () => {
    const receiver = receiverWith({ urlSecret: SECRET });
    const ran: string[] = [];
    const url = withUrlSecret('https://billing.example.com/rtk', SECRET);
    expect(
      await answerOf(await receiver.handle(await delivery(url), (d) => void ran.push(d.id))),
    ).toEqual([200, 'handled']);
    for (const foreign of [
      'https://billing.example.com/rtk',
      'https://billing.example.com/rtk?rtk_secret=guess',
      `https://billing.example.com/rtk?rtk_secret=${SECRET.slice(0, -1)}`,
    ]) {
      const answer = await receiver.handle(await delivery(foreign), (d) => void ran.push(d.id));
      expect(await answerOf(answer)).toEqual([403, 'wrong-secret']);
    }
    expect(ran).toHaveLength(1);
  });

  it('is checked before the key is fetched: a foreign delivery costs no key fetch', async () => {
    let fetches = 0;
    const receiver = createWebhookReceiver({
      urlSecret: SECRET,
      fetch: async () => {
        fetches += 1;
        return keyAnswer(signer.publicKeyPem);
      },
    });
    const answer = await receiver.handle(
      await delivery('https://billing.example.com/rtk'),
      () => {},
    );
    expect(await answerOf(answer)).toEqual([403, 'wrong-secret']);
    expect(fetches).toBe(0);
  });

  it('accepts any of several secrets while one is rotated', async () => {
    const receiver = receiverWith({ urlSecret: [SECRET, NEXT_SECRET] });
    for (const secret of [SECRET, NEXT_SECRET]) {
      const url = withUrlSecret('https://billing.example.com/rtk', secret);
      expect((await receiver.handle(await delivery(url), () => {})).status).toBe(200);
    }
  });

  it('needs the URL: handleRaw without { url } answers 500 secret-unchecked; with it, the secret is checked', async () => {
    const receiver = receiverWith({ urlSecret: SECRET });
    const body = JSON.stringify(exampleFor('meeting.started'));
    const headers = deliveryHeaders(await signer.sign(body));
    const without = await receiver.handleRaw(body, headers, () => {});
    expect([without.status, without.body]).toEqual([500, 'secret-unchecked']);
    const withUrl = await receiver.handleRaw(body, headers, () => {}, {
      url: `/rtk?rtk_secret=${SECRET}`,
    });
    expect([withUrl.status, withUrl.body]).toEqual([200, 'handled']);
  });

  it("the Node adapter checks the request's path and query", async () => {
    const receiver = receiverWith({ urlSecret: SECRET });
    const server = createServer(nodeHandler(receiver, () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rtk`;
    try {
      const send = async (url: string) => {
        const request = await delivery(url);
        const response = await fetch(url, {
          method: 'POST',
          body: await request.text(),
          headers: request.headers,
        });
        return [response.status, await response.text()];
      };
      expect(await send(withUrlSecret(base, SECRET))).toEqual([200, 'handled']);
      expect(await send(base)).toEqual([403, 'wrong-secret']);
    } finally {
      server.close();
    }
  });

  it.each(['short', 'has spaces in it, sixteen+', ''])(
    'refuses %j as a secret, saying what one is',
    (secret) => {
      expect(() => receiverWith({ urlSecret: secret })).toThrow(
        /urlSecret: a URL secret must be 16 to 256/,
      );
      expect(() => withUrlSecret('https://a.example/rtk', secret)).toThrow(TypeError);
    },
  );

  it('refuses an empty list (an unset variable split into one), which would turn the check off, and an empty member', async () => {
    expect(() => receiverWith({ urlSecret: [] })).toThrow(
      'urlSecret: an empty list turns the check off; give at least one secret, or leave urlSecret out',
    );
    expect(() => receiverWith({ urlSecret: [SECRET, ''] })).toThrow(
      /urlSecret: a URL secret must be 16 to 256/,
    );
  });

  it('withUrlSecret adds the parameter; maskUrlSecret keeps it out of output', () => {
    const url = withUrlSecret('https://a.example/rtk?x=1', SECRET);
    expect(url).toBe(`https://a.example/rtk?x=1&rtk_secret=${SECRET}`);
    expect(maskUrlSecret(`webhook ${url} created`)).toBe(
      'webhook https://a.example/rtk?x=1&rtk_secret=*** created',
    );
  });
});

describe('allowlists', () => {
  it('webhookIds: a delivery from another webhook is refused (403 unknown-webhook)', async () => {
    const mine = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
    const receiver = receiverWith({ webhookIds: [mine] });
    const url = 'https://billing.example.com/rtk';
    expect((await receiver.handle(await delivery(url, { webhookId: mine }), () => {})).status).toBe(
      200,
    );
    const other = await receiver.handle(
      await delivery(url, { webhookId: '6a5b8a3e-1f2c-4d9e-8b7a-2c3d4e5f6a7b' }),
      () => {},
    );
    expect(await answerOf(other)).toEqual([403, 'unknown-webhook']);
  });

  it("webhookIds alone is not a binding (as the README says): another customer's signed delivery with your id in the unsigned header passes; the URL secret refuses it", async () => {
    const mine = '0d1f069d-43bb-489a-ad8c-7eb95592ba8e';
    // RealtimeKit signed this for another customer's webhook; the replayer sets the header.
    const foreign = () => delivery('https://billing.example.com/rtk', { webhookId: mine });
    const idsOnly = receiverWith({ webhookIds: [mine] });
    expect(await answerOf(await idsOnly.handle(await foreign(), () => {}))).toEqual([
      200,
      'handled',
    ]);
    const bound = receiverWith({ webhookIds: [mine], urlSecret: SECRET });
    expect(await answerOf(await bound.handle(await foreign(), () => {}))).toEqual([
      403,
      'wrong-secret',
    ]);
  });

  it('organizationIds: the signed payload must name one of them (the organizer, or the recording)', async () => {
    const ended = exampleFor('meeting.ended') as { meeting: { organizedBy: { id: string } } };
    const mine = ended.meeting.organizedBy.id;
    const receiver = receiverWith({ organizationIds: [mine] });
    const url = 'https://billing.example.com/rtk';
    expect((await receiver.handle(await delivery(url), () => {})).status).toBe(200);
    const recording = exampleFor('recording.statusUpdate') as {
      meeting: Record<string, unknown>;
      recording: Record<string, unknown>;
    };
    const recordingOf = (organization: string) => ({
      ...recording,
      meeting: { ...recording.meeting, organizedBy: undefined },
      recording: { ...recording.recording, organizationId: organization },
    });
    expect(
      (await receiver.handle(await delivery(url, { payload: recordingOf(mine) }), () => {})).status,
    ).toBe(200);
    const foreign = await receiver.handle(
      await delivery(url, {
        payload: {
          ...ended,
          meeting: { ...ended.meeting, organizedBy: { id: 'another-org', name: 'X' } },
        },
      }),
      () => {},
    );
    expect(await answerOf(foreign)).toEqual([403, 'foreign-organization']);
  });
});
