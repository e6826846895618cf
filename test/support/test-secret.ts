/** The JWT signing secret of the test apps (its own module: the log scan, a setup file, must not load the app). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-000000';
