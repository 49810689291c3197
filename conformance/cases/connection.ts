/** Example cases: connection commands. Every reply recorded from Valkey 9.1.2 (conformance/record.ts) and reviewed. */
import { group } from './case.js';
import { ok, any, simple, err, map, set, dbl, resp, intIn, like, pin, syntaxErr, notInt, arity } from '../expect.js';

const { cases, example } = group('connection');

example('ping', 'PING', [
  [['PING'], simple('PONG')],
  [['PING', 'hello'], 'hello'],
  [['PING', 'a', 'b'], arity('ping')],
]);
example('echo', 'ECHO', [
  [['ECHO', 'hello'], 'hello'],
  [['ECHO', ''], ''],
  [['ECHO', 'a\r\nb'], 'a\r\nb'],
  [['ECHO'], arity('echo')],
]);
example('select', 'SELECT switches databases', [
  [['SET', 'k', '0'], ok],
  [['SELECT', '1'], ok],
  [['GET', 'k'], null],
  [['SET', 'k', '1'], ok],
  [['SELECT', '0'], ok],
  [['GET', 'k'], '0'],
  [['SELECT', '16'], err('ERR DB index is out of range')],
  [['SELECT', '-1'], err('ERR DB index is out of range')],
  [['SELECT', 'x'], notInt],
]);
example(['client|setname', 'client|getname'], 'CLIENT SETNAME and GETNAME', [
  [['CLIENT', 'GETNAME'], null],
  [['CLIENT', 'SETNAME', 'conn-1'], ok],
  [['CLIENT', 'GETNAME'], 'conn-1'],
  [['CLIENT', 'SETNAME', 'a b'], err('ERR Client names cannot contain spaces, newlines or special characters.')],
  [['CLIENT', 'SETNAME', 'a\nb'], err('ERR Client names cannot contain spaces, newlines or special characters.')],
  [['CLIENT', 'GETNAME'], 'conn-1'],
  [['CLIENT', 'SETNAME', ''], ok],
  [['CLIENT', 'GETNAME'], null],
]);
example('client|import-source', 'CLIENT IMPORT-SOURCE', [
  [['CLIENT', 'IMPORT-SOURCE', 'ON'], err('ERR Server is not in import mode')],
  [['CLIENT', 'IMPORT-SOURCE', 'OFF'], ok],
  [['CONFIG', 'SET', 'import-mode', 'yes'], ok],
  [['CLIENT', 'IMPORT-SOURCE', 'maybe'], syntaxErr],
  [['CLIENT', 'IMPORT-SOURCE', 'on'], ok],
  [['CLIENT', 'IMPORT-SOURCE', 'off'], ok],
  [['CONFIG', 'SET', 'import-mode', 'no'], ok],
]);
example('client|setinfo', 'CLIENT SETINFO', [
  [['CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'], ok],
  [['CLIENT', 'SETINFO', 'LIB-VER', '1.0'], ok],
  [['CLIENT', 'SETINFO', 'lib-name', 'my lib'], err('ERR lib-name cannot contain spaces, newlines or special characters.')],
  [['CLIENT', 'SETINFO', 'FOO', 'x'], err('ERR Unrecognized option \'FOO\'')],
  [['CLIENT', 'SETINFO', 'LIB-NAME'], arity('client|setinfo')],
]);
example(['client|no-evict', 'client|no-touch'], 'CLIENT NO-EVICT and NO-TOUCH', [
  [['CLIENT', 'NO-EVICT', 'on'], ok],
  [['CLIENT', 'NO-EVICT', 'off'], ok],
  [['CLIENT', 'NO-EVICT', 'maybe'], syntaxErr],
  [['CLIENT', 'NO-TOUCH', 'ON'], ok],
  [['CLIENT', 'NO-TOUCH', 'OFF'], ok],
  [['CLIENT', 'NO-TOUCH', 'x'], syntaxErr],
]);
example('client|capa', 'CLIENT CAPA', [
  [['CLIENT', 'CAPA', 'redirect'], ok],
  [['CLIENT', 'CAPA', 'unknown'], ok],
]);
example('client|unblock', 'CLIENT UNBLOCK of no blocked client', [
  [['CLIENT', 'UNBLOCK', '999999'], 0],
  [['CLIENT', 'UNBLOCK', '999999', 'ERROR'], 0],
  [['CLIENT', 'UNBLOCK', 'x'], notInt],
  [['CLIENT', 'UNBLOCK', '1', 'FOO'], err('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR')],
]);
example(['client|tracking', 'client|caching', 'client|getredir', 'client|trackinginfo'], 'CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO', [
  [['CLIENT', 'GETREDIR'], -1],
  [['CLIENT', 'CACHING', 'yes'], err('ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled')],
  [['CLIENT', 'TRACKINGINFO'], map(['flags', set('off')], ['redirect', -1], ['prefixes', []])],
  [['CLIENT', 'TRACKING', 'on', 'PREFIX', 'a'], err('ERR PREFIX option requires BCAST mode to be enabled')],
  [['CLIENT', 'TRACKING', 'maybe'], syntaxErr],
  [['CLIENT', 'TRACKING', 'on', 'REDIRECT', '999999'], err('ERR The client ID you want redirect to does not exist')],
  [['CLIENT', 'TRACKING', 'on', 'OPTIN', 'OPTOUT'], err("ERR You can't specify both OPTIN mode and OPTOUT mode")],
  [['CLIENT', 'TRACKING', 'on', 'BCAST', 'OPTIN'], err('ERR OPTIN and OPTOUT are not compatible with BCAST')],
  [['CLIENT', 'TRACKING', 'on', 'OPTIN'], ok],
  [['CLIENT', 'CACHING', 'yes'], ok],
  [['CLIENT', 'TRACKINGINFO'], map(['flags', set('on', 'optin', 'caching-yes')], ['redirect', 0], ['prefixes', []])],
  [['CLIENT', 'CACHING', 'no'], err('ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.')],
  [['CLIENT', 'GETREDIR'], 0],
  [['CLIENT', 'TRACKING', 'off'], ok],
  [['CLIENT', 'GETREDIR'], -1],
]);
example(['client|pause', 'client|unpause'], 'CLIENT PAUSE and UNPAUSE (no pause left running)', [
  [['CLIENT', 'PAUSE', '0'], ok],
  [['CLIENT', 'PAUSE', '0', 'WRITE'], ok],
  [['CLIENT', 'PAUSE', 'x'], err('ERR timeout is not an integer or out of range')],
  [['CLIENT', 'PAUSE', '-1'], err('ERR timeout is negative')],
  [['CLIENT', 'PAUSE', '10', 'MAYBE'], err('ERR CLIENT PAUSE mode must be WRITE or ALL')],
  [['CLIENT', 'UNPAUSE'], ok],
]);
example('client|kill', 'CLIENT KILL of no such client', [
  [['CLIENT', 'KILL', 'ID', '999999'], 0],
  [['CLIENT', 'KILL', '1.2.3.4:5'], err('ERR No such client')],
  [['CLIENT', 'KILL', 'ID', 'x'], syntaxErr],
  [['CLIENT', 'KILL', 'FOO', 'bar'], syntaxErr],
  [['CLIENT', 'KILL', 'TYPE', 'nosuch'], err('ERR Unknown client type \'nosuch\'')],
]);
example('client|list', 'CLIENT LIST errors', [
  [['CLIENT', 'LIST', 'TYPE', 'nosuch'], err('ERR Unknown client type \'nosuch\'')],
  [['CLIENT', 'LIST', 'ID', 'x'], syntaxErr],
  [['CLIENT', 'LIST', 'FOO'], syntaxErr],
]);
const clientInfo = (v: 2 | 3) => like(new RegExp(
  '^id=\\d+ addr=\\S+ laddr=\\S+ fd=\\d+ name=me age=\\d+ idle=\\d+ flags=N capa= db=1 sub=0 psub=0 ssub=0 multi=-1 watch=0 '
  + 'qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=0 rbs=\\d+ rbp=\\d+ obl=0 oll=0 omem=0 tot-mem=\\d+ events=r '
  + `cmd=client\\|info user=default redir=-1 resp=${v} lib-name=\\S* lib-ver=\\S* tot-net-in=\\d+ tot-net-out=\\d+ tot-cmds=\\d+\n$`,
));

example(['client|id', 'client|info'], 'CLIENT ID and CLIENT INFO', [
  [['CLIENT', 'ID'], intIn(1, Number.MAX_SAFE_INTEGER)],
  [['CLIENT', 'SETNAME', 'me'], ok],
  [['SELECT', '1'], ok],
  [['CLIENT', 'INFO'], resp(clientInfo(2), clientInfo(3))],
]);

example('client|help', 'CLIENT HELP', [
  [['CLIENT', 'HELP'], [simple('CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('CACHING (YES|NO)'), simple('    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.'), simple('CAPA <option> [options...]'), simple('    The client claims its some capability options. Options are:'), simple('    * REDIRECT'), simple('      The client can handle redirection during primary and replica failover in standalone mode.'), simple('GETREDIR'), simple('    Return the client ID we are redirecting to when tracking is enabled.'), simple('GETNAME'), simple('    Return the name of the current connection.'), simple('ID'), simple('    Return the ID of the current connection.'), simple('INFO'), simple('    Return information about the current client connection.'), simple('KILL <ip:port>'), simple('    Kill connection made from <ip:port>.'), simple('KILL <option> <value> [<option> <value> [...]]'), simple('    Kill connections. Options are:'), simple('    * ADDR (<ip:port>|<unixsocket>:0)'), simple('      Kill connections made from the specified address.'), simple('    * LADDR (<ip:port>|<unixsocket>:0)'), simple('      Kill connections made to the specified local address.'), simple('    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)'), simple('      Kill connections by type.'), simple('    * USER <username>'), simple('      Kill connections authenticated by <username>.'), simple('    * SKIPME (YES|NO)'), simple('      Skip killing current connection (default: yes).'), simple('    * ID <client-id> [<client-id>...]'), simple('      Kill connections by client IDs.'), simple('    * MAXAGE <maxage>'), simple('      Kill connections older than the specified age.'), simple('    * FLAGS <flags>'), simple('      Kill connections that include the specified flags.'), simple('    * NAME <client-name>'), simple('      Kill connections with the specified name.'), simple('    * IDLE <idle>'), simple('      Kill connections with idle time greater than or equal to <idle> seconds.'), simple('    * LIB-NAME <library-name>'), simple('      Kill connections with the specified library name.'), simple('    * LIB-VER <library-version>'), simple('      Kill connections with the specified library version.'), simple('    * DB <db-id>'), simple('      Kill connections currently operating on the specified database ID.'), simple('    * CAPA <capa>'), simple('      Kill connections currently with the specified capa.'), simple('    * IP <ip>'), simple('      Kill connections made from the specified ip.'), simple('LIST [options ...]'), simple('    Return information about client connections. Options:'), simple('    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)'), simple('      Return clients of specified type.'), simple('    * USER <username>'), simple('      Return clients authenticated by <username>.'), simple('    * ADDR <ip:port>'), simple('      Return clients connected from the specified address.'), simple('    * LADDR <ip:port>'), simple('      Return clients connected to the specified local address.'), simple('    * ID <client-id> [<client-id>...]'), simple('      Return clients with the specified IDs.'), simple('    * SKIPME (YES|NO)'), simple('      Exclude the current client from the list (default: no).'), simple('    * MAXAGE <maxage>'), simple('      List connections older than the specified age.'), simple('    * FLAGS <flags>'), simple('      Return clients with the specified flags.'), simple('    * NAME <client-name>'), simple('      Return clients with the specified name.'), simple('    * IDLE <idle>'), simple('      Return clients with idle time greater than or equal to <idle> seconds.'), simple('    * LIB-NAME <lib-name>'), simple('      Return clients with the specified lib name.'), simple('    * LIB-VER <lib-version>'), simple('      Return clients with the specified lib version.'), simple('    * DB <db-id>'), simple('      Return clients currently operating on the specified database ID.'), simple('    * CAPA <capa>'), simple('      Return connections currently with the specified capa.'), simple('    * IP <ip>'), simple('      Return connections made from the specified ip.'), simple('UNPAUSE'), simple('    Stop the current client pause, resuming traffic.'), simple('PAUSE <timeout> [WRITE|ALL]'), simple('    Suspend all, or just write, clients for <timeout> milliseconds.'), simple('REPLY (ON|OFF|SKIP)'), simple('    Control the replies sent to the current connection.'), simple('SETNAME <name>'), simple('    Assign the name <name> to the current connection.'), simple('SETINFO <option> <value>'), simple('    Set client meta attr. Options are:'), simple('    * LIB-NAME: the client lib name.'), simple('    * LIB-VER: the client lib version.'), simple('UNBLOCK <clientid> [TIMEOUT|ERROR]'), simple('    Unblock the specified blocked client.'), simple('TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]'), simple('         [OPTIN] [OPTOUT] [NOLOOP]'), simple('    Control server assisted client side caching.'), simple('TRACKINGINFO'), simple('    Report tracking status for the current connection.'), simple('NO-EVICT (ON|OFF)'), simple('    Protect current client connection from eviction.'), simple('NO-TOUCH (ON|OFF)'), simple('    Will not touch LRU/LFU stats when this mode is on.'), simple('IMPORT-SOURCE (ON|OFF)'), simple('    Mark this connection as an import source if import-mode is enabled.'), simple('    Sync tools can set their connections into \'import-source\' state to visit'), simple('    expired keys.'), simple('HELP'), simple('    Print this help.')]],
]);
example('client', 'CLIENT with an unknown subcommand', [
  [['CLIENT', 'NOSUCH'], err('ERR unknown subcommand \'NOSUCH\'. Try CLIENT HELP.')],
  [['CLIENT'], arity('client')],
]);
example('auth', 'AUTH with no password configured', [
  [['AUTH', 'pw'], err('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?')],
  [['AUTH', 'default', 'pw'], ok],
  [['AUTH', 'someone', 'pw'], err('WRONGPASS invalid username-password pair or user is disabled.')],
  [['AUTH', 'a', 'b', 'c'], syntaxErr],
]);
example('hello', 'HELLO errors', [
  [['HELLO', '4'], err('NOPROTO unsupported protocol version')],
  [['HELLO', 'x'], err('ERR Protocol version is not an integer or out of range')],
  [['HELLO', '3', 'AUTH', 'default'], err('ERR Syntax error in HELLO option \'AUTH\'')],
  [['HELLO', '3', 'FOO'], err('ERR Syntax error in HELLO option \'FOO\'')],
]);


// --- Cases that drive the connection itself (raw driver only) ---

const hello = (proto: 2 | 3) => map(
  ['server', 'valkey'], ['version', '9.1.2'], ['proto', proto], ['id', any], ['mode', 'standalone'], ['role', 'master'],
  ['modules', [map(['name', 'lua'], ['ver', 1], ['path', 'lua'], ['args', []])]],
);

example('hello', 'HELLO switches the protocol, and replies in the new one', [
  [['HELLO', '3'], pin(3, hello(3))],
  [['ZADD', 'z', '1.5', 'm'], 1],
  [['ZSCORE', 'z', 'm'], pin(3, dbl('1.5'))],
  [['HELLO', '2'], pin(2, hello(2))],
  [['ZSCORE', 'z', 'm'], pin(2, dbl('1.5'))],
  [['HELLO'], pin(2, hello(2))],
  [['HELLO', '3', 'SETNAME', 'conn-1'], pin(3, hello(3))],
  [['CLIENT', 'GETNAME'], 'conn-1'],
], { tags: ['needs:raw'] });

example('reset', 'RESET restores the connection\'s defaults', [
  [['SELECT', '1'], ok],
  [['SET', 'k', 'v'], ok],
  [['CLIENT', 'SETNAME', 'conn-1'], ok],
  [['MULTI'], ok],
  [['RESET'], simple('RESET')],
  [['EXISTS', 'k'], 0],
  [['CLIENT', 'GETNAME'], pin(2, null)],
  [['EXEC'], err('ERR EXEC without MULTI')],
], { tags: ['needs:raw'] });

example('client|reply', 'CLIENT REPLY OFF, ON and SKIP', [
  {
    raw: '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$4\r\nPING\r\n*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$2\r\nON\r\n*1\r\n$4\r\nPING\r\n'
      + '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n',
    expectRaw: [ok, simple('PONG'), 'x'],
  },
  [['CLIENT', 'REPLY', 'MAYBE'], syntaxErr],
]);

example('quit', 'QUIT replies OK and closes', [
  { raw: '*1\r\n$4\r\nQUIT\r\n', expectRaw: [ok], thenClose: true },
]);

example('ping', 'Inline commands and pipelines', [
  { raw: 'PING\r\n', expectRaw: [simple('PONG')] },
  { raw: 'ECHO "a b"\r\nECHO \'c d\'\r\n', expectRaw: ['a b', 'c d'] },
  { raw: 'ECHO "a b" c\r\n', expectRaw: [arity('echo')] },
  { raw: '\r\n\r\nPING\n', expectRaw: [simple('PONG')] },
  { raw: '*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$4\r\nPING\r\n', expectRaw: [simple('PONG'), 'hi', simple('PONG')] },
]);

example('ping', 'Protocol errors close the connection', [
  { raw: '*1\r\n$4\r\nPING\r\n*2\r\nfoo\r\n', expectRaw: [simple('PONG'), err('ERR Protocol error: expected \'$\', got \'f\'')], thenClose: true },
]);

example('ping', 'Protocol error: a bad multibulk length', [
  { raw: '*abc\r\n', expectRaw: [err('ERR Protocol error: invalid multibulk length')], thenClose: true },
]);

example('ping', 'Protocol error: a bad bulk length', [
  { raw: '*1\r\n$-5\r\n', expectRaw: [err('ERR Protocol error: invalid bulk length')], thenClose: true },
]);

example('ping', 'Protocol error: unbalanced quotes in an inline command', [
  { raw: 'ECHO "abc\r\n', expectRaw: [err('ERR Protocol error: unbalanced quotes in request')], thenClose: true },
]);

export default cases;
