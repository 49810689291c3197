/** The key hash slot lives in the engine (cluster routing needs it); fault rules use the same function. */
export { keyHashSlot } from '../../engine/keyslot.js';
