-- Shared by every node-store script. ARGV[1] is the key prefix. Keys:
--   <p>n:<id>   the node's JSON          <p>t:<topic>  ids of the topic's nodes
--   <p>nodes    ids of every node        <p>ring       ids of ring nodes
--   <p>expiry   registered ids scored by expiresAt (epoch ms)
local p = ARGV[1]

local function drop(id)
  local key = p .. 'n:' .. id
  local old = redis.call('GET', key)
  if old then
    for _, t in ipairs(cjson.decode(old).topics) do
      redis.call('SREM', p .. 't:' .. t, id)
    end
    redis.call('DEL', key)
    redis.call('SREM', p .. 'nodes', id)
    redis.call('SREM', p .. 'ring', id)
    redis.call('ZREM', p .. 'expiry', id)
  end
  return old
end

-- adds the new topics before removing the old ones, as the in-memory store does
local function store(id, json, expiresAtMs)
  local node = cjson.decode(json)
  local key = p .. 'n:' .. id
  local old = redis.call('GET', key)
  local keep = {}
  for _, t in ipairs(node.topics) do
    keep[t] = true
    redis.call('SADD', p .. 't:' .. t, id)
  end
  if old then
    for _, t in ipairs(cjson.decode(old).topics) do
      if not keep[t] then
        redis.call('SREM', p .. 't:' .. t, id)
      end
    end
  end
  redis.call('SET', key, json)
  redis.call('SADD', p .. 'nodes', id)
  if node.source == 'RING' then
    redis.call('SADD', p .. 'ring', id)
  else
    redis.call('SREM', p .. 'ring', id)
  end
  if expiresAtMs ~= '' then
    redis.call('ZADD', p .. 'expiry', expiresAtMs, id)
  else
    redis.call('ZREM', p .. 'expiry', id)
  end
  return old
end
