/** jest globalTeardown: stops the server of valkey-double/jest/global-setup. */
import { globalTeardown } from './global-setup.js';

export default globalTeardown;
