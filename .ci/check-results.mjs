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

const passed = count((t) => t.status === 'passed');
const failed = count((t) => t.status === 'failed');
for (const p of problems) console.error(`CI check: ${p}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 || report.success === false ? 1 : 0);
