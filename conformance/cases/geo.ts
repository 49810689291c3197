/** Example cases: geospatial commands. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { nilArr, err, dbl, resp, syntaxErr, arity } from '../expect.js';

const { cases, example } = group('geo');

example(['geoadd', 'geopos', 'geodist', 'geohash'], 'GEOADD, GEOPOS, GEODIST, GEOHASH', [
  [['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], 2],
  [['GEOPOS', 'Sicily', 'Palermo', 'nope'], resp([['13.36138933897018433', '38.11555639549629859'], nilArr], [[dbl('13.36138933897018433'), dbl('38.11555639549629859')], null])],
  [['GEODIST', 'Sicily', 'Palermo', 'Catania'], '166274.1516'],
  [['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'], '166.2742'],
  [['GEODIST', 'Sicily', 'Palermo', 'nope'], null],
  [['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'nope'], ['sqc8b49rny0', 'sqdtr74hyu0', null]],
  [['GEOADD', 'Sicily', '181', '0', 'x'], err('ERR invalid longitude,latitude pair 181.000000,0.000000')],
  [['GEOADD', 'Sicily', '0', '86', 'x'], err('ERR invalid longitude,latitude pair 0.000000,86.000000')],
  [['GEOADD', 'Sicily', 'x', '0', 'm'], err('ERR value is not a valid float')],
  [['GEODIST', 'Sicily', 'Palermo', 'Catania', 'parsec'], err('ERR unsupported unit provided. please use M, KM, FT, MI')],
  [['ZSCORE', 'Sicily', 'Palermo'], dbl('3479099956230698')],
]);
example('geoadd', 'GEOADD NX, XX, CH', [
  [['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'], 1],
  [['GEOADD', 'g', 'NX', '13', '38', 'Palermo', '15', '37', 'Catania'], 1],
  [['GEOADD', 'g', 'XX', 'CH', '13', '38', 'Palermo', '15', '37', 'Other'], 1],
  [['GEOADD', 'g', 'NX', 'XX', '1', '1', 'x'], syntaxErr],
  [['ZCARD', 'g'], 2],
]);
example(['geosearch', 'geosearchstore'], 'GEOSEARCH and GEOSEARCHSTORE', [
  [['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania', '12.758489', '38.788135', 'edge1'], 3],
  [['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'], ['Catania', 'Palermo']],
  [['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'], [['Palermo', '0.0000', 3479099956230698, [dbl('13.36138933897018433'), dbl('38.11555639549629859')]], ['edge1', '91.4007', 3479273021651468, [dbl('12.7584877610206604'), dbl('38.78813451624225195')]], ['Catania', '166.2742', 3479447370796909, [dbl('15.08726745843887329'), dbl('37.50266842333162032')]]]],
  [['GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'COUNT', '1'], ['Catania']],
  [['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '10', 'km'], err('ERR member nope does not exist')],
  [['GEOSEARCH', 'Sicily', 'BYRADIUS', '10', 'km'], arity('geosearch')],
  [['GEOSEARCH', 'missing', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'], []],
  [['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'], 2],
  [['ZRANGE', 'dst', '0', '-1'], ['Palermo', 'Catania']],
  [['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'], 2],
  [['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], resp(['Catania', '56.4412578701582', 'Palermo', '190.44242984775784'], [['Catania', dbl('56.4412578701582')], ['Palermo', dbl('190.44242984775784')]])],
]);
example(['georadius', 'georadiusbymember', 'georadius_ro', 'georadiusbymember_ro'], 'GEORADIUS and GEORADIUSBYMEMBER', [
  [['GEOADD', 'Sicily', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'], 2],
  [['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'ASC'], [['Catania', '56.4413'], ['Palermo', '190.4424']]],
  [['GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'WITHCOORD', 'DESC', 'COUNT', '1'], [['Palermo', [dbl('13.36138933897018433'), dbl('38.11555639549629859')]]]],
  [['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '200', 'km', 'ASC'], ['Palermo', 'Catania']],
  [['GEORADIUSBYMEMBER_RO', 'Sicily', 'nope', '200', 'km'], err('ERR member nope does not exist')],
  [['GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'dst'], 2],
  [['ZCARD', 'dst'], 2],
  [['GEORADIUS', 'Sicily', '15', '37', '-1', 'km'], err('ERR radius cannot be negative')],
]);

export default cases;
