// One case per rule of the breaking-change guard: a small spec, a change, the expected level.
import { describe, expect, it } from 'vitest';
import { missingBumps, pendingBumps, requiredBump } from '../lib/release-guard.mjs';
import { diffSpecs } from '../lib/spec-diff.mjs';

type Spec = Record<string, unknown>;
const webhookSchema = () => ({
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    events: { type: 'array', items: { $ref: '#/components/schemas/Event' } },
  },
});
const requestSchema = () => ({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 64 },
    url: { type: 'string' },
    enabled: { type: 'boolean' },
  },
});
/** A small spec in the shape of ours: one collection with GET and POST, one delivery. */
function base(): Spec {
  return {
    openapi: '3.1.0',
    paths: {
      '/hooks': {
        parameters: [
          { name: 'app_id', in: 'path', required: true, schema: { type: 'string', maxLength: 32 } },
        ],
        get: {
          responses: {
            '200': {
              content: {
                'application/json': {
                  schema: { type: 'array', items: { $ref: '#/components/schemas/Webhook' } },
                },
              },
            },
          },
        },
        post: {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Request' } } },
          },
          responses: {
            '201': {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Webhook' } } },
            },
          },
        },
      },
    },
    webhooks: {
      'meeting.started': {
        post: {
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['event', 'meeting'],
                  properties: { event: { const: 'meeting.started' }, meeting: { type: 'object' } },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Event: { type: 'string', enum: ['a', 'b', 'c'] },
        Webhook: webhookSchema(),
        Request: requestSchema(),
      },
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited by path, any shape
type Edit = (spec: any) => void;
const cases: [string, Edit, 'breaking' | 'additive' | 'none'][] = [
  ['nothing changes', () => {}, 'none'],
  ['an operation is removed', (s) => delete s.paths['/hooks'].get, 'breaking'],
  ['an operation is added', (s) => (s.paths['/other'] = { get: { responses: {} } }), 'additive'],
  [
    'a response field is removed',
    (s) => delete s.components.schemas.Webhook.properties.name,
    'breaking',
  ],
  [
    'a response field stops being required',
    (s) => (s.components.schemas.Webhook.required = ['id']),
    'breaking',
  ],
  [
    'a response field is added',
    (s) => (s.components.schemas.Webhook.properties.url = { type: 'string' }),
    'additive',
  ],
  [
    'a response field changes type',
    (s) => (s.components.schemas.Webhook.properties.id = { type: 'number' }),
    'breaking',
  ],
  ['an enum value is removed', (s) => (s.components.schemas.Event.enum = ['a', 'b']), 'breaking'],
  [
    'an enum value is added',
    (s) => (s.components.schemas.Event.enum = ['a', 'b', 'c', 'd']),
    'additive',
  ],
  [
    'a request field becomes required',
    (s) => s.components.schemas.Request.required.push('url'),
    'breaking',
  ],
  [
    'a required request field is added',
    (s) => {
      s.components.schemas.Request.properties.secret = { type: 'string' };
      s.components.schemas.Request.required.push('secret');
    },
    'breaking',
  ],
  [
    'an optional request field is added',
    (s) => (s.components.schemas.Request.properties.note = { type: 'string' }),
    'additive',
  ],
  [
    'a request field is removed',
    (s) => delete s.components.schemas.Request.properties.enabled,
    'breaking',
  ],
  [
    'a request string is narrowed (maxLength)',
    (s) => (s.components.schemas.Request.properties.name.maxLength = 32),
    'breaking',
  ],
  [
    'a request string is widened (maxLength)',
    (s) => (s.components.schemas.Request.properties.name.maxLength = 128),
    'none',
  ],
  [
    'a request field gains a format',
    (s) => (s.components.schemas.Request.properties.url.format = 'uri'),
    'breaking',
  ],
  [
    'a request type is narrowed',
    (s) => (s.components.schemas.Request.properties.enabled.type = 'string'),
    'breaking',
  ],
  [
    'a path parameter is narrowed',
    (s) => (s.paths['/hooks'].parameters[0].schema.maxLength = 16),
    'breaking',
  ],
  [
    'a required query parameter is added',
    (s) =>
      (s.paths['/hooks'].get.parameters = [
        { name: 'page', in: 'query', required: true, schema: { type: 'string' } },
      ]),
    'breaking',
  ],
  [
    'a success response is removed',
    (s) => delete s.paths['/hooks'].post.responses['201'],
    'breaking',
  ],
  ['a delivery is removed', (s) => delete s.webhooks['meeting.started'], 'breaking'],
  [
    'a delivery payload loses a field',
    (s) =>
      delete s.webhooks['meeting.started'].post.requestBody.content['application/json'].schema
        .properties.meeting,
    'breaking',
  ],
  [
    'a delivery payload gains a field',
    (s) =>
      (s.webhooks['meeting.started'].post.requestBody.content[
        'application/json'
      ].schema.properties.extra = { type: 'string' }),
    'additive',
  ],
  [
    'a component schema is removed',
    (s) => {
      s.components.schemas.Unused = undefined;
      delete s.components.schemas.Unused;
      delete s.components.schemas.Event;
      s.components.schemas.Webhook.properties.events.items = { type: 'string' };
    },
    'breaking',
  ],
];

const discriminated = (variants: string[]) => ({
  oneOf: variants.map((event) => ({
    type: 'object',
    required: ['event'],
    properties: { event: { const: event }, [`${event}Field`]: { type: 'string' } },
  })),
  discriminator: { propertyName: 'event' },
});
const withUnion = (variants: string[]): Spec => {
  const spec = base() as { components: { schemas: Record<string, unknown> } };
  spec.components.schemas.Webhook = {
    ...webhookSchema(),
    properties: { ...webhookSchema().properties, last: discriminated(variants) },
  };
  return spec;
};
const serversCases: [
  string,
  (s: Record<string, unknown>) => void,
  'breaking' | 'additive' | 'none',
][] = [
  [
    'the default server changes',
    (s) => (s.servers = [{ url: 'https://api.example.com/v2' }]),
    'breaking',
  ],
  [
    'a second server is added',
    (s) =>
      (s.servers = [{ url: 'https://api.example.com/v1' }, { url: 'https://eu.example.com/v1' }]),
    'additive',
  ],
  [
    'a path-level server changes',
    (s) =>
      Object.assign((s.paths as Record<string, object>)['/hooks'] ?? {}, {
        servers: [{ url: 'https://keys.example.com/new' }],
      }),
    'breaking',
  ],
];

describe('diffSpecs: servers and discriminated unions', () => {
  const withServers = () => {
    const spec = base() as Record<string, unknown> & {
      paths: Record<string, Record<string, unknown>>;
    };
    spec.servers = [{ url: 'https://api.example.com/v1' }];
    Object.assign(spec.paths['/hooks'] ?? {}, {
      servers: [{ url: 'https://keys.example.com/old' }],
    });
    return spec;
  };
  it.each(serversCases)('%s: %s', (_name, edit, level) => {
    const after = withServers();
    edit(after);
    expect(diffSpecs(withServers(), after).level).toBe(level);
  });

  it('reordering the variants of a discriminated oneOf is no change', () => {
    expect(diffSpecs(withUnion(['a', 'b']), withUnion(['b', 'a'])).level).toBe('none');
  });

  it('compares each variant with itself, by discriminator value', () => {
    const after = withUnion(['b', 'a']) as {
      components: {
        schemas: {
          Webhook: { properties: { last: { oneOf: { properties: Record<string, unknown> }[] } } };
        };
      };
    };
    delete after.components.schemas.Webhook.properties.last.oneOf[1]?.properties.aField;
    const result = diffSpecs(withUnion(['a', 'b']), after);
    expect(result.level).toBe('breaking');
    expect(result.changes.map((c: { where: string }) => c.where)).toContain(
      'GET /hooks 200[].last.oneOf[event=a]',
    );
  });

  it.each([
    ['a variant is removed', ['a'], 'breaking'],
    ['a variant is added', ['a', 'b', 'c'], 'additive'],
  ] as const)('%s: %s', (_name, variants, level) => {
    expect(diffSpecs(withUnion(['a', 'b']), withUnion([...variants])).level).toBe(level);
  });
});

describe('diffSpecs', () => {
  it.each(cases)('%s: %s', (_name, edit, level) => {
    const after = base();
    edit(after);
    const result = diffSpecs(base(), after);
    expect(result.level).toBe(level);
    if (level !== 'none')
      expect(result.changes.some((c: { level: string }) => c.level === level)).toBe(true);
  });

  it('names where and what broke', () => {
    const after = base();
    // biome-ignore lint/suspicious/noExplicitAny: fixtures are edited by path, any shape
    (after as any).components.schemas.Event.enum = ['a', 'c'];
    expect(diffSpecs(base(), after).changes).toContainEqual({
      level: 'breaking',
      where: 'GET /hooks 200[].events[]',
      message: 'enum value "b" removed',
    });
  });
});

describe('bumps', () => {
  it.each([
    ['breaking', '0.3.0', 'minor'],
    ['breaking', '1.2.0', 'major'],
    ['additive', '0.3.0', 'patch'],
    ['additive', '1.2.0', 'minor'],
    ['none', '1.2.0', 'none'],
  ] as const)('a %s change from %s needs %s', (level, version, bump) => {
    expect(requiredBump(level, version)).toBe(bump);
  });

  it('takes the highest pending bump per package and lists what is missing', () => {
    const bumps = pendingBumps([
      {
        releases: [
          { name: 'p', type: 'patch' },
          { name: 'q', type: 'major' },
        ],
      },
      { releases: [{ name: 'p', type: 'minor' }] },
    ]);
    expect(bumps).toEqual({ p: 'minor', q: 'major' });
    expect(
      missingBumps('breaking', { p: '1.0.0', q: '1.0.0', r: '0.1.0' }, bumps, ['p', 'q', 'r']),
    ).toEqual([
      { name: 'p', version: '1.0.0', needed: 'major', pending: 'minor' },
      { name: 'r', version: '0.1.0', needed: 'minor', pending: 'none' },
    ]);
  });
});
