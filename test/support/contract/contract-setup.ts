import { checkRecordedResponses } from './contract-recorder.js';

/**
 * Every test file: once its tests are done, every response its apps sent must match the OpenAPI
 * document they serve (closed schemas); a mismatch fails the file, listing each one.
 */
afterAll(() => {
  const started = performance.now();
  const { checked, issues } = checkRecordedResponses();
  if (process.env.CONTRACT_SUMMARY) {
    process.stderr.write(`contract: ${checked} responses checked, ${issues.length} issues, ${Math.round(performance.now() - started)} ms\n`);
  }
  if (issues.length > 0) {
    throw new Error(`Responses that do not match the OpenAPI document (${issues.length} kinds, ${checked} responses checked):\n  ${issues.join('\n  ')}`);
  }
});
