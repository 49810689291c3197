/**
 * Example cases: the ACL container (Valkey group "server"). Every reply recorded from Valkey 9.1.2
 * (conformance/record.ts) and reviewed. Users outlive FLUSHALL: each case deletes the users it makes.
 */
import { group } from './case.js';
import { ok, simple, err, map, set } from '../expect.js';

const { cases, example } = group('server');

example(['acl|setuser', 'acl|getuser', 'acl|deluser'], 'ACL SETUSER then GETUSER, DELUSER', [
  [['ACL', 'SETUSER', 'corpus1', 'on', '>pw', '~k*', '%R~r*', '&ch', '+get', '+@hash', '-hdel', 'db=0,2', '(+set ~s*)'], ok],
  [['ACL', 'GETUSER', 'corpus1'], map(['flags', set('on')], ['passwords', ['30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4']], ['commands', '-@all +get +@hash -hdel'], ['keys', '~k* %R~r*'], ['channels', '&ch'], ['databases', 'db=0,2'], ['selectors', [map(['commands', '-@all +set'], ['keys', '~s*'], ['channels', ''], ['databases', 'alldbs'])]])],
  [['ACL', 'SETUSER', 'corpus1', '+nosuch'], err('ERR Error in ACL SETUSER modifier \'+nosuch\': Unknown command or category name in ACL')],
  [['ACL', 'SETUSER', 'corpus1', '~*', '~a'], err('ERR Error in ACL SETUSER modifier \'~a\': Adding a pattern after the * pattern (or the \'allkeys\' flag) is not valid and does not have any effect. Try \'resetkeys\' to start with an empty list of patterns')],
  [['ACL', 'GETUSER', 'nosuch'], null],
  [['ACL', 'DELUSER', 'corpus1', 'nosuch'], 1],
  [['ACL', 'DELUSER', 'default'], err('ERR The \'default\' user cannot be removed')],
]);
example(['acl|list', 'acl|users'], 'ACL LIST and USERS', [
  [['ACL', 'SETUSER', 'corpus2', 'on', 'nopass', 'allkeys', '+@read', '-@slow'], ok],
  [['ACL', 'LIST'], ['user corpus2 on nopass ~* resetchannels -@all +@read -@slow', 'user default on nopass ~* &* +@all']],
  [['ACL', 'USERS'], ['corpus2', 'default']],
  [['ACL', 'DELUSER', 'corpus2'], 1],
]);
example(['acl|whoami', 'acl|help'], 'ACL WHOAMI and HELP', [
  [['ACL', 'WHOAMI'], 'default'],
  [['ACL', 'HELP'], [simple('ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:'), simple('CAT [<category>]'), simple('    List all commands that belong to <category>, or all command categories'), simple('    when no category is specified.'), simple('DELUSER <username> [<username> ...]'), simple('    Delete a list of users.'), simple('DRYRUN <username> <command> [<arg> ...]'), simple('    Returns whether the user can execute the given command without executing the command.'), simple('GETUSER <username>'), simple('    Get the user\'s details.'), simple('GENPASS [<bits>]'), simple('    Generate a secure 256-bit user password. The optional `bits` argument can'), simple('    be used to specify a different size.'), simple('LIST'), simple('    Show users details in config file format.'), simple('LOAD'), simple('    Reload users from the ACL file.'), simple('LOG [<count> | RESET]'), simple('    Show the ACL log entries.'), simple('SAVE'), simple('    Save the current config to the ACL file.'), simple('SETUSER <username> <rule> [<rule> ...]'), simple('    Create or modify a user with the specified rules.'), simple('USERS'), simple('    List all the registered usernames.'), simple('WHOAMI'), simple('    Return the current connection username.'), simple('HELP'), simple('    Print this help.')]],
  [['ACL', 'NOSUCH'], err('ERR unknown subcommand \'NOSUCH\'. Try ACL HELP.')],
]);
example(['acl|cat'], 'ACL CAT', [
  [['ACL', 'CAT'], ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting']],
  [['ACL', 'CAT', 'nosuch'], err('ERR Unknown category \'nosuch\'')],
  [['ACL', 'CAT', 'a', 'b'], err('ERR unknown subcommand or wrong number of arguments for \'CAT\'. Try ACL HELP.')],
]);
example(['acl|dryrun'], 'ACL DRYRUN', [
  [['ACL', 'SETUSER', 'corpus3', 'on', 'nopass', '~k*', '+get'], ok],
  [['ACL', 'DRYRUN', 'corpus3', 'get', 'k1'], ok],
  [['ACL', 'DRYRUN', 'corpus3', 'get', 'x'], 'User corpus3 has no permissions to access the \'x\' key'],
  [['ACL', 'DRYRUN', 'corpus3', 'set', 'k1', 'v'], 'User corpus3 has no permissions to run the \'set\' command'],
  [['ACL', 'DRYRUN', 'nosuch', 'get', 'x'], err('ERR User \'nosuch\' not found')],
  [['ACL', 'DRYRUN', 'corpus3', 'get'], err('ERR wrong number of arguments for \'get\' command')],
  [['ACL', 'DELUSER', 'corpus3'], 1],
]);
example(['acl|genpass'], 'ACL GENPASS errors', [
  [['ACL', 'GENPASS', '0'], err('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096')],
  [['ACL', 'GENPASS', '4097'], err('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096')],
  [['ACL', 'GENPASS', 'x'], err('ERR value is not an integer or out of range')],
]);
example(['acl|log'], 'ACL LOG RESET and errors', [
  [['ACL', 'LOG', 'RESET'], ok],
  [['ACL', 'LOG'], []],
  [['ACL', 'LOG', 'x'], err('ERR value is not an integer or out of range')],
  [['ACL', 'LOG', '1', '2'], err('ERR unknown subcommand or wrong number of arguments for \'LOG\'. Try ACL HELP.')],
]);
example(['acl|load', 'acl|save'], 'ACL LOAD and SAVE without an ACL file', [
  [['ACL', 'LOAD'], err('ERR This instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a configuration file set) in order to store users in the configuration.')],
  [['ACL', 'SAVE'], err('ERR This instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a configuration file set) in order to store users in the configuration.')],
]);

export default cases;
