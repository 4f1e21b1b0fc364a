// The demo server's socket (demo/server.mjs): it listens on loopback only
// (HOST, or createDemo's `host`, changes that), and answers there.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/server.mjs';
import { BACKENDS, fresh } from './backends';

describe.each(BACKENDS)('the demo server on %s', (kind) => {
  let demo: Awaited<ReturnType<typeof createDemo>> | undefined;
  afterEach(() => demo?.close());

  const start = async () => {
    const where = await fresh(kind);
    demo = await createDemo({ port: 0, stateDir: join(where.dir, 'state'), databaseUrl: where.url });
    return (await demo.listen()).address() as AddressInfo;
  };

  it('listens on 127.0.0.1 only, by default', async () => {
    const at = await start();
    expect(at.address).toBe('127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${at.port}/api/site`)).status).toBe(200);
  });
});
