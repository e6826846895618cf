/** Who is calling, as proven by the bearer token. */
export type AuthenticatedStudent = {
  studentId: string;
  role: 'student' | 'admin';
};

/** The claims of our access tokens. */
export type AccessTokenClaims = {
  sub: string;
  role: 'student' | 'admin';
};
