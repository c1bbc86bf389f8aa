// The payloads Cloudflare publishes (fixtures/cloudflare-docs) against the spec and the receiver:
// each must validate against its event's schema and arrive typed; one that breaks the schema
// must arrive as the `mismatch` variant, never typed as something it is not.
import { readdirSync } from 'node:fs';
import type { WebhookEvent } from '@realtimekit-webhooks/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookReceiver } from '../src/index.js';
import { payloadIssues as schemaIssues } from '../src/payload-check.js';
import {
  deliveryHeaders,
  documentedPayload,
  exampleFor,
  makeSigner,
  specEvents,
} from './helpers.js';

let signer: Awaited<ReturnType<typeof makeSigner>>;
let receiver: WebhookReceiver;
beforeAll(async () => {
  signer = await makeSigner();
  receiver = createWebhookReceiver({ publicKey: signer.publicKeyPem, seen: false });
});

async function deliver(payload: unknown) {
  const body = JSON.stringify(payload);
  return receiver.verifyRaw(body, deliveryHeaders(await signer.sign(body)));
}

/** Copies `payload` without the field at `path` (dot-separated). */
function without(payload: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = structuredClone(payload);
  const keys = path.split('.');
  const last = keys.pop() as string;
  let node: Record<string, unknown> = copy;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  delete node[last];
  return copy;
}

describe("Cloudflare's documented payloads", () => {
  it('exist for exactly the events the spec describes', () => {
    // Whatever the count: an event added to the spec needs its documented payload, and a payload
    // Cloudflare documents needs its event in the spec.
    const documented = readdirSync(new URL('./fixtures/cloudflare-docs/', import.meta.url))
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''));
    expect([...specEvents].sort()).toEqual(documented.sort());
    for (const event of specEvents) expect(documentedPayload(event).event).toBe(event);
  });

  it.each(specEvents)('%s validates against the spec schema', (event) => {
    expect(schemaIssues(event, documentedPayload(event))).toEqual([]);
  });

  it.each(specEvents)("%s: the spec's own example validates too", (event) => {
    expect(schemaIssues(event, exampleFor(event))).toEqual([]);
  });

  it.each(specEvents)('%s is signed, verified and narrowed to its event', async (event) => {
    const delivery = await deliver(documentedPayload(event));
    expect(delivery.event).toBe(event);
    expect(delivery.eventName).toBe(event);
    expect(delivery.payload).toEqual(documentedPayload(event));
    expect(delivery).not.toHaveProperty('issues');
  });

  it("meeting.summary with the whole meeting (the newer version of Cloudflare's page) arrives typed, the meeting's fields kept", async () => {
    const meeting = documentedPayload('meeting.ended').meeting as Record<string, unknown>;
    const payload = { ...documentedPayload('meeting.summary'), meeting };
    const delivery = await deliver(payload);
    expect(delivery.event).toBe('meeting.summary');
    if (delivery.event !== 'meeting.summary') return;
    expect(delivery.payload.meeting.title).toBe(meeting.title);
    expect(delivery.payload.meeting.startedAt).toBe(meeting.startedAt);
    // A whole meeting whose timestamp is not one is not typed as one.
    const broken = await deliver({ ...payload, meeting: { ...meeting, endedAt: 'soon' } });
    expect(broken).toMatchObject({
      event: 'mismatch',
      issues: [{ path: 'payload.meeting.endedAt' }],
    });
  });

  it('keeps fields beyond the schema and still types the delivery', async () => {
    const delivery = await deliver({ ...documentedPayload('meeting.ended'), newField: [1, 2] });
    expect(delivery.event).toBe('meeting.ended');
    expect(delivery.payload).toMatchObject({ newField: [1, 2] });
  });
});

describe('a verified payload that does not match its schema', () => {
  // [event, field removed, the issue it must raise]: one row per kind of required field.
  const missing: [WebhookEvent, string][] = [
    ['meeting.started', 'meeting'],
    ['meeting.started', 'meeting.id'],
    ['meeting.ended', 'reason'],
    ['meeting.participantJoined', 'participant.peerId'],
    ['meeting.participantLeft', 'participant.leftAt'],
    ['meeting.chatSynced', 'chatDownloadUrl'],
    ['recording.statusUpdate', 'recording.status'],
    ['livestreaming.statusUpdate', 'meeting.organizedBy'],
    ['meeting.transcript', 'transcriptDownloadUrl'],
    ['meeting.summary', 'meeting.sessionId'],
    ['meeting.summary', 'meeting.organizedBy.name'],
  ];

  it.each(missing)('%s without %s arrives as "mismatch" naming the field', async (event, path) => {
    const payload = without(documentedPayload(event), path);
    const delivery = await deliver(payload);
    expect(delivery).toMatchObject({
      event: 'mismatch',
      eventName: event,
      payload,
      issues: [{ path: `payload.${path}`, message: 'is required' }],
    });
  });

  const wrong: [string, WebhookEvent, (p: Record<string, unknown>) => unknown, string][] = [
    [
      'a meeting that is a string',
      'meeting.started',
      (p) => ({ ...p, meeting: 'm1' }),
      'payload.meeting',
    ],
    [
      'a recording duration that is text',
      'recording.statusUpdate',
      (p) => ({ ...p, recording: { ...(p.recording as object), recordingDuration: '1800' } }),
      'payload.recording.recordingDuration',
    ],
    [
      'a timestamp that is not RFC 3339',
      'meeting.summary',
      (p) => ({ ...p, summaryDownloadUrlExpiry: 'next tuesday' }),
      'payload.summaryDownloadUrlExpiry',
    ],
  ];

  it.each(wrong)('%s arrives as "mismatch"', async (_name, event, change, path) => {
    const delivery = await deliver(change(documentedPayload(event)));
    expect(delivery.event).toBe('mismatch');
    if (delivery.event !== 'mismatch') return;
    expect(delivery.eventName).toBe(event);
    expect(delivery.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('is still de-duplicated like any authentic delivery', async () => {
    const deduping = createWebhookReceiver({ publicKey: signer.publicKeyPem });
    const body = JSON.stringify(without(documentedPayload('meeting.ended'), 'reason'));
    const headers = deliveryHeaders(await signer.sign(body), 'mismatch-twice');
    const first = await deduping.verifyRaw(body, headers);
    const again = await deduping.verifyRaw(body, headers);
    expect([first.event, first.duplicate, again.duplicate]).toEqual(['mismatch', false, true]);
  });
});
