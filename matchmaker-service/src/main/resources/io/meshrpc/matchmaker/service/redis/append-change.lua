-- ARGV: prefix, start revision (used when Redis holds none), node ids (comma separated), topics (comma separated),
-- history length. Gives the change the next revision, adds it to the change stream under the id <revision>-0 and
-- tells every replica. Returns the revision.
redis.call('SET', p .. 'revision', ARGV[2], 'NX')
local rev = redis.call('INCR', p .. 'revision')
-- string.format: Lua's own number-to-string keeps 14 digits, revisions have 16
local id = string.format('%d', rev)
redis.call('XADD', p .. 'changes', 'MAXLEN', '~', ARGV[5], id .. '-0', 'n', ARGV[3], 't', ARGV[4])
redis.call('PUBLISH', p .. 'changes', id)
return rev
