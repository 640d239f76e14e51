// Lua scripts of the Redis room store. Redis runs each script atomically, which is what makes
// "check the count, then add" safe across nodes. Keys, with P the prefix (ARGV[1]):
//   P..'room:'..R..':members'   ZSET peer -> join sequence (oldest first)
//   P..'room:'..R..':owners'    HASH peer -> owning socket id
//   P..'room:'..R..':held'      HASH peer -> 1 while the peer is away
//   P..'room:'..R..':mailbox:'..peer   LIST of JSON signals kept for an away peer
//   P..'leases'                 ZSET 'R peer' -> expiry in ms (Redis clock): a held place's
//                               deadline, or a live place's lease that its node keeps renewing
//   P..'seq'                    counter giving join order
// Times come from Redis' own clock (TIME), so nodes with skewed clocks agree on deadlines.
// Keys are derived inside the scripts, which suits a single Redis (or a primary with replicas),
// not Redis Cluster.

const COMMON = `
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function key(room, part) return P .. 'room:' .. room .. ':' .. part end
local function lease_member(room, peer) return room .. ' ' .. peer end
local function remove(room, peer)
  redis.call('ZREM', key(room, 'members'), peer)
  redis.call('HDEL', key(room, 'owners'), peer)
  redis.call('HDEL', key(room, 'held'), peer)
  redis.call('DEL', key(room, 'mailbox:' .. peer))
  redis.call('ZREM', P .. 'leases', lease_member(room, peer))
end
`

/** ARGV: prefix, room, peer, socket, capacity, leaseMs → {'full'} | {'ok', others...}. */
export const JOIN = `${COMMON}
local room, peer, socket = ARGV[2], ARGV[3], ARGV[4]
local capacity, lease = tonumber(ARGV[5]), tonumber(ARGV[6])
local members = key(room, 'members')
if redis.call('ZCARD', members) >= capacity then return {'full'} end
local result = {'ok'}
for _, other in ipairs(redis.call('ZRANGE', members, 0, -1)) do result[#result + 1] = other end
redis.call('ZADD', members, redis.call('INCR', P .. 'seq'), peer)
redis.call('HSET', key(room, 'owners'), peer, socket)
redis.call('ZADD', P .. 'leases', now_ms() + lease, lease_member(room, peer))
return result
`

/**
 * ARGV: prefix, room, peer, socket, previousOwner, leaseMs →
 * {'missing'} | {'expired'} | {'taken'} | {'ok', previousOwner, othersCount, others..., mail...}.
 * Only a place owned by previousOwner (or already by socket: a retried resume) is handed over.
 */
export const RESUME = `${COMMON}
local room, peer, socket, expected, lease = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local owner = redis.call('HGET', key(room, 'owners'), peer)
if not owner then return {'missing'} end
local now = now_ms()
local deadline = redis.call('ZSCORE', P .. 'leases', lease_member(room, peer))
if deadline and tonumber(deadline) < now then
  remove(room, peer)
  return {'expired'}
end
if owner ~= expected and owner ~= socket then return {'taken'} end
redis.call('HSET', key(room, 'owners'), peer, socket)
redis.call('HDEL', key(room, 'held'), peer)
redis.call('ZADD', P .. 'leases', now + lease, lease_member(room, peer))
local others = {}
for _, other in ipairs(redis.call('ZRANGE', key(room, 'members'), 0, -1)) do
  if other ~= peer then others[#others + 1] = other end
end
local result = {'ok', owner, tostring(#others)}
for _, other in ipairs(others) do result[#result + 1] = other end
local box = key(room, 'mailbox:' .. peer)
for _, message in ipairs(redis.call('LRANGE', box, 0, -1)) do result[#result + 1] = message end
redis.call('DEL', box)
return result
`

/** ARGV: prefix, room, peer, socket, holdMs → 1 if held, 0 if the socket no longer owns it. */
export const HOLD = `${COMMON}
local room, peer, socket, hold = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if redis.call('HGET', key(room, 'owners'), peer) ~= socket then return 0 end
redis.call('HSET', key(room, 'held'), peer, 1)
redis.call('ZADD', P .. 'leases', now_ms() + hold, lease_member(room, peer))
return 1
`

/** ARGV: prefix, room, peer, socket → 1 if freed, 0 if the socket does not own it. */
export const LEAVE = `${COMMON}
local room, peer, socket = ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', key(room, 'owners'), peer) ~= socket then return 0 end
remove(room, peer)
return 1
`

/**
 * ARGV: prefix, room, sender, senderSocket, peer, message, limit →
 * 'gone' | 'live' | 'held' | 'full' | 'missing'.
 */
export const DELIVER = `${COMMON}
local room, sender, socket, peer = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local message, limit = ARGV[6], tonumber(ARGV[7])
if redis.call('HGET', key(room, 'owners'), sender) ~= socket then return 'gone' end
if redis.call('HEXISTS', key(room, 'owners'), peer) == 0 then return 'missing' end
if redis.call('HEXISTS', key(room, 'held'), peer) == 0 then return 'live' end
local box = key(room, 'mailbox:' .. peer)
if redis.call('LLEN', box) >= limit then return 'full' end
redis.call('RPUSH', box, message)
return 'held'
`

/** ARGV: prefix, leaseMs, then (room, peer, socket) triples → number renewed. */
export const REFRESH = `${COMMON}
local lease = tonumber(ARGV[2])
local now = now_ms()
local renewed = 0
for i = 3, #ARGV, 3 do
  local room, peer, socket = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if redis.call('HGET', key(room, 'owners'), peer) == socket
    and redis.call('HEXISTS', key(room, 'held'), peer) == 0 then
    redis.call('ZADD', P .. 'leases', 'XX', now + lease, lease_member(room, peer))
    renewed = renewed + 1
  end
end
return renewed
`

/** ARGV: prefix, limit → the freed places as 'room peer' strings. */
export const SWEEP = `${COMMON}
local due = redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[2]))
for _, entry in ipairs(due) do
  local space = string.find(entry, ' ', 1, true)
  remove(string.sub(entry, 1, space - 1), string.sub(entry, space + 1))
end
return due
`
