import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type Delivery, WebhookVerificationError } from '../src/index.js';
import { verifyNodeRequest } from '../src/node.js';
import { deliveryHeaders, exampleFor, makeSigner } from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
const received: Delivery[] = [];
let url: string;
let close: () => void;

beforeAll(async () => {
  signer = await makeSigner();
  const receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem });
  // A handler as the README shows it: verify, then answer with the status the error suggests.
  const server = createServer(async (request, response) => {
    try {
      received.push(await verifyNodeRequest(receiver, request, 64 * 1024));
      response.writeHead(204).end();
    } catch (error) {
      const status = error instanceof WebhookVerificationError ? error.status : 500;
      response.writeHead(status).end(error instanceof Error ? error.message : '');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rtk`;
  close = () => server.close();
});
afterAll(() => close?.());

describe("Node's http server adapter", () => {
  it('verifies a delivery from the raw bytes on the wire', async () => {
    const body = JSON.stringify(exampleFor('meeting.participantJoined'), null, 1);
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: deliveryHeaders(await signer.sign(body), 'node-1'),
    });
    expect(response.status).toBe(204);
    expect(received.at(-1)).toMatchObject({ id: 'node-1', event: 'meeting.participantJoined' });
  });

  it('answers 401 to a forged delivery and 400 to one over the size limit', async () => {
    const body = JSON.stringify(exampleFor('meeting.ended'));
    const forged = await fetch(url, {
      method: 'POST',
      body,
      headers: deliveryHeaders(await signer.sign('other')),
    });
    expect(forged.status).toBe(401);
    const big = 'x'.repeat(70 * 1024);
    const tooBig = await fetch(url, {
      method: 'POST',
      body: big,
      headers: deliveryHeaders(await signer.sign(big)),
    });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toBe('malformed-body: the body is larger than 65536 bytes');
  });
});
