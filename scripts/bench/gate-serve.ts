/**
 * The real application for the gate benchmark, in its own process: the configured database,
 * migrations, createApp with request logging, listening on PORT (0: any free port). Unlike
 * server/main.ts it starts no housekeeping timer, whose hourly re-check of every live
 * publication would otherwise land in the middle of a measurement.
 */
import { createApp } from '../../server/app.js';
import { bootstrap } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const { ctx, handle } = await bootstrap(config, logger, { seed: false });
const server = createApp(ctx, { webDist: null }).listen(config.port, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : config.port}\n`);
});
const stop = () => server.close(() => void handle.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
