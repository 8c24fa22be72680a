-- ARGV: prefix, nowMs. Removes every registered node with expiresAt <= now; returns their JSON.
local removed = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'expiry', '-inf', ARGV[2])) do
  local old = drop(id)
  if old then
    removed[#removed + 1] = old
  end
end
return removed
