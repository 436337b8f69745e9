import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { bootstrap } from './bootstrap.js';
import { createApp } from './app.js';
import { DEMO_PASSWORD, DEMO_SIGN_INS } from './demo/seed.js';
import { deleteExpiredPhotos, sweepOrphanBlobs } from './modules/photos/maintenance.service.js';
import { recheckAllLive } from './modules/publications/recheck.service.js';

if (existsSync('.env')) process.loadEnvFile('.env');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Samtykke cannot start.\n${err.message}`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const { ctx, handle, seeded } = await bootstrap(config, logger);
  const app = createApp(ctx);
  const server = app.listen(config.port, () => {
    const url = `http://localhost:${config.port}`;
    logger.info({ port: config.port, engine: handle.engine, demo: config.demo }, 'Samtykke is running');
    if (config.demo) {
      const lines = DEMO_SIGN_INS.map((s) => `  ${s.email.padEnd(18)} ${s.role.padEnd(9)} ${s.what}`);
      console.log(
        `\nSamtykke is running at ${url} (demo mode${seeded ? ', demo data created' : ''}).\n` +
          `Demo sign-ins, all with the password ${DEMO_PASSWORD}:\n${lines.join('\n')}\n` +
          `E-mailed sign-in links are written to ${config.dataDir}/outbox and to this log.\n`,
      );
    }
  });
  // Housekeeping: publications that no longer pass the gate, unpublished photos past retention,
  // and blobs no row refers to. Hourly, and
  // once shortly after start.
  const housekeeping = async () => {
    try {
      // Consents that expired or children who left since the last run: unpublish and open takedowns.
      const takenDown = await recheckAllLive(ctx);
      const deleted = await deleteExpiredPhotos(ctx);
      const swept = await sweepOrphanBlobs(ctx);
      if (takenDown || deleted || swept) logger.info({ takenDown, deleted, swept }, 'housekeeping');
    } catch (err) {
      logger.error({ err }, 'housekeeping failed');
    }
  };
  setTimeout(housekeeping, 60_000).unref();
  setInterval(housekeeping, 3600_000).unref();

  const shutdown = () => {
    server.close(() => void handle.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  console.error('Samtykke stopped because of an error:', err instanceof Error ? err.message : err);
  process.exit(1);
});
