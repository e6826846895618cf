export { decodeCursor, encodeCursor } from './cursor.js';
