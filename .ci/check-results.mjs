// Fails the CI run when a suite CI must run did not: PostgreSQL tests, browser tests, or any
// skipped test. Prints the closing "N passed, N failed" line.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const tests = report.testResults.flatMap((file) => file.assertionResults.map((t) => ({ ...t, file: file.name })));
const problems = [];
const count = (pred) => tests.filter(pred).length;

const skipped = tests.filter((t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo');
if (skipped.length > 0) problems.push(`${skipped.length} test(s) were skipped, e.g. ${skipped[0].fullName}`);
if (count((t) => t.fullName.includes('[postgres]') && t.status === 'passed') === 0) problems.push('no PostgreSQL test ran');
if (count((t) => t.fullName.includes('[sqlite]') && t.status === 'passed') === 0) problems.push('no SQLite test ran');
if (count((t) => t.file.includes('/tests/e2e/') && t.status === 'passed') === 0) problems.push('no browser test ran');

// The security suites of issue #6 run on both engines; losing one (a renamed file, a describe
// that stopped running on PostgreSQL) must fail CI, not pass quietly.
const SECURITY_SUITES = [
  'access-matrix',
  'tokens',
  'hostile-uploads',
  'openapi',
  'fuzz',
  'headers-limits',
  'durability',
  'backup-restore',
  'audit-completeness',
];
for (const suite of SECURITY_SUITES) {
  const ran = tests.filter((t) => t.file.endsWith(`/tests/security/${suite}.test.ts`) && t.status === 'passed');
  for (const engine of ['sqlite', 'postgres']) {
    if (!ran.some((t) => t.fullName.includes(`[${engine}]`))) problems.push(`the security suite ${suite} ran no passing test on ${engine}`);
  }
}

// The web app as a whole (issue #7): the tour of every page, role and language, the keyboard-only
// flows, the honest saving states, and the checks that every text is translated.
const WEB_SUITES = [
  'tour.e2e',
  'publishing-keyboard.e2e',
  'consent-guardian.e2e',
  'honest-states.e2e',
  'i18n-keys',
  'i18n-literals',
  'bundle',
];
for (const suite of WEB_SUITES) {
  const file = tests.filter((t) => t.file.endsWith(`/tests/e2e/${suite}.test.ts`));
  if (file.length === 0 || file.some((t) => t.status !== 'passed')) problems.push(`the web suite ${suite} did not pass in full`);
}

const passed = count((t) => t.status === 'passed');
const failed = count((t) => t.status === 'failed');
for (const p of problems) console.error(`CI check: ${p}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 || report.success === false ? 1 : 0);
