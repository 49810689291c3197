export { R, isError } from './reply.js';
export type { Bytes, Reply, ErrorReply } from './reply.js';
export { encode, encodedLength } from './encoder.js';
export type { RespVersion } from './encoder.js';
export { RequestDecoder, splitArgs, INLINE_MAX_SIZE } from './decoder.js';
export type { DecodeResult, DecoderLimits } from './decoder.js';
export { formatDouble } from './double.js';
export { ReplyParser } from './reply-parser.js';
export type { RawReply } from './reply-parser.js';
