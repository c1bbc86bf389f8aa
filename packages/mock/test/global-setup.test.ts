// The vitest globalSetup as a service uses it: one stateful mock for the run, its URLs injected.
import { connectMock } from '@realtimekit-webhooks/mock';
import type {} from '@realtimekit-webhooks/mock/vitest';
import { describe, expect, inject, it } from 'vitest';

describe('@realtimekit-webhooks/mock/vitest', () => {
  it('injects the API, key and control URLs of one stateful mock', async () => {
    const baseUrl = inject('realtimeKitBaseUrl');
    const mock = connectMock(inject('realtimeKitMockControl'));
    await mock.reset();
    const created = await fetch(`${baseUrl}/accounts/a/realtime/kit/b/webhooks`, {
      method: 'POST',
      headers: { authorization: 'Bearer throwaway', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'n', url: 'https://a.example/x', events: ['meeting.ended'] }),
    });
    expect(created.status).toBe(201);
    expect((await mock.webhooks()).map((w) => w.name)).toEqual(['n']);
    const key = await fetch(inject('realtimeKitKeyUrl'));
    expect(((await key.json()) as { data: { publicKey: string } }).data.publicKey).toMatch(
      /^-----BEGIN PUBLIC KEY-----/,
    );
  });
});
