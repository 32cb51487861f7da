-- luaPing: proves scripts are loaded and EVALSHA works on the current master.
-- KEYS: none
-- ARGV: none
-- returns: 'PONG'
return 'PONG'
