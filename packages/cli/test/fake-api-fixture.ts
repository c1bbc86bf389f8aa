// One stateful fake of the API and one scratch folder per test file: started before its tests,
// emptied before each, stopped and removed after them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeApi, startFakeApi } from '@realtimekit-webhooks/mock/fake';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface FakeApiFixture {
  readonly fake: FakeApi;
  readonly scratch: string;
  /** The flags that point the CLI at the fake. */
  api(): string[];
  /** Writes `text` to `name` in the scratch folder and returns its path. */
  file(name: string, text: string): Promise<string>;
}

/** Registers the hooks in the calling file (or describe block) and returns the fixture. */
export function useFakeApi(scratchPrefix: string): FakeApiFixture {
  let fake: FakeApi | undefined;
  let scratch: string | undefined;
  beforeAll(async () => {
    fake = await startFakeApi();
    scratch = await mkdtemp(join(tmpdir(), scratchPrefix));
  });
  afterAll(async () => {
    await fake?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake?.store.clear();
    if (fake) fake.requests.length = 0;
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the fake API is used before beforeAll ran');
    return value;
  };
  return {
    get fake() {
      return started(fake);
    },
    get scratch() {
      return started(scratch);
    },
    api: () => ['--base-url', started(fake).baseUrl],
    async file(name, text) {
      const path = join(started(scratch), name);
      await writeFile(path, text);
      return path;
    },
  };
}
