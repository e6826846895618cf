export { projectRoot } from './project-root.js';
