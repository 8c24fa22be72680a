-- ARGV: prefix, nowMs, then id, json pairs of the new ring.
-- Returns {removed, stored, kept ids...} as strings.
local now = tonumber(ARGV[2])
local listed = {}
for i = 3, #ARGV, 2 do
  listed[ARGV[i]] = true
end
local removed = 0
for _, id in ipairs(redis.call('SMEMBERS', p .. 'ring')) do
  if not listed[id] then
    drop(id)
    removed = removed + 1
  end
end
local stored = 0
local kept = {}
for i = 3, #ARGV, 2 do
  local id = ARGV[i]
  local expiresAt = redis.call('ZSCORE', p .. 'expiry', id)
  if expiresAt and tonumber(expiresAt) > now then
    kept[#kept + 1] = id
  else
    store(id, ARGV[i + 1], '')
    stored = stored + 1
  end
end
local result = {tostring(removed), tostring(stored)}
for _, id in ipairs(kept) do
  result[#result + 1] = id
end
return result
