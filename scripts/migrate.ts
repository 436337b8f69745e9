import { openForCli } from './cli.js';

// bootstrap() migrates; this command exists so deployments can migrate before starting.
const { handle } = await openForCli();
console.log(`The ${handle.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} database is up to date.`);
await handle.close();
