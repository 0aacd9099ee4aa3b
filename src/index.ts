/** Library entry point. The envelope-encryption library is `strongroom/envelope`. */
export const VERSION = '0.1.0';
export { KmsError, type ErrorCode } from './core/errors.js';
