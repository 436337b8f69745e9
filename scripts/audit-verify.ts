import { verifyAuditChain } from '../server/modules/audit/audit.service.js';
import { openForCli } from './cli.js';

const PROBLEMS = {
  SEQUENCE_GAP: 'an event is missing before it (deleted, or the order was changed)',
  PREVIOUS_HASH_MISMATCH: 'it does not follow the event before it (an event was removed, inserted or reordered)',
  HASH_MISMATCH: 'its content was changed after it was written',
} as const;

const { ctx, handle } = await openForCli();
const report = await verifyAuditChain(ctx);
await handle.close();
if (report.ok) {
  console.log(`The audit log is intact: ${report.events} events verified.`);
  console.log(JSON.stringify(report));
} else {
  const b = report.brokenAt!;
  if (b.problem === 'SEQUENCE_GAP') {
    console.error(`The audit log is broken: event #${b.expectedSeq} is missing (the next one found is #${b.seq}). ${report.events} events before it verified.`);
  } else {
    console.error(`The audit log is broken at event #${b.seq}: ${PROBLEMS[b.problem]}. ${report.events} events before it verified.`);
  }
  console.log(JSON.stringify(report));
  process.exit(2);
}
