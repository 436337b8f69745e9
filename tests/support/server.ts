import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, WEB_DIST } from '../../server/app.js';
import type { Mail } from '../../server/adapters/mailer.js';
import { ensureWebBuilt } from '../../scripts/build-web.js';
import { createTestContext, type TestContext } from './context.js';

export interface TestServer {
  url: string;
  /** Every e-mail the app has sent, newest last. */
  mails: Mail[];
  test: TestContext;
  close(): Promise<void>;
}

/** The real app with demo data on a fresh SQLite database, serving the built web app, on a random port. */
export async function startTestServer(options: { demo?: boolean } = {}): Promise<TestServer> {
  await ensureWebBuilt();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  // The port is known before the app is built, so e-mailed links point at this server.
  const t = await createTestContext('sqlite', { demo: options.demo ?? true, env: { PUBLIC_URL: url } });
  server.on('request', createApp(t.ctx, { webDist: WEB_DIST, requestLog: false }));
  return {
    url,
    mails: t.mailer.sent,
    test: t,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
}
