import { capturedLogLines, scansLogs, secretsIn } from './log-scan.js';

// Every log line the fault and security suites' apps wrote in this file, checked once at its end.
afterAll(() => {
  if (!scansLogs(expect.getState().testPath)) return;
  const found = secretsIn(capturedLogLines);
  capturedLogLines.length = 0;
  expect(found).toEqual([]);
});
