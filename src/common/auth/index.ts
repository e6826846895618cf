/** Public API of common/auth: the global auth guard's module, the account directory it asks, access tokens, the route decorators, token claims. */
export { ACCOUNT_DIRECTORY, type AccountDirectory } from './account-directory.js';
export { AccessTokensModule } from './access-tokens.module.js';
export { AuthCommonModule } from './auth-common.module.js';
export type { AccessTokenClaims, AuthenticatedStudent } from './authenticated-student.js';
export { CurrentStudent } from './current-student.decorator.js';
export { Public } from './public.decorator.js';
