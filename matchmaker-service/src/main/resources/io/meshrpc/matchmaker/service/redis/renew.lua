-- ARGV: prefix, id, the node's JSON as read, its renewed JSON, new expiresAt (epoch ms).
-- Renews only if the record is still the one read (a concurrent write wins; the caller reads again).
-- Returns 1 when renewed, 0 when the record changed meanwhile.
local key = p .. 'n:' .. ARGV[2]
if redis.call('GET', key) ~= ARGV[3] then
  return 0
end
redis.call('SET', key, ARGV[4])
redis.call('ZADD', p .. 'expiry', ARGV[5], ARGV[2])
return 1
