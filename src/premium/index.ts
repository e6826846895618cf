export { PremiumModule } from './premium.module.js';
