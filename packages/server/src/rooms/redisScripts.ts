// Lua scripts of the Redis room store. Redis runs each script atomically, which is what makes
// "check the count, then add" safe across nodes. Keys, with P the prefix (ARGV[1]):
//   P..'room:'..R..':members'   ZSET peer -> join sequence (oldest first)
//   P..'room:'..R..':owners'    HASH peer -> owning socket id
//   P..'room:'..R..':held'      HASH peer -> '1' while the peer is away, '2' once it is back
//                               but relays kept for it are not yet acknowledged (new ones
//                               queue behind them, so order holds)
//   P..'room:'..R..':mailbox:'..peer   LIST of JSON signals kept for an away peer
//   P..'room:'..R..':bytes'     HASH peer -> bytes in its mailbox, '#room' -> the room's total
//   P..'held_bytes'             bytes kept in every mailbox, for the store's budget
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
-- Forgets the byte count of relays leaving a mailbox (delivered, or the place freed).
local function release(room, peer, bytes)
  if bytes <= 0 then return end
  local sizes = key(room, 'bytes')
  if redis.call('HINCRBY', sizes, peer, -bytes) <= 0 then redis.call('HDEL', sizes, peer) end
  if redis.call('HINCRBY', sizes, '#room', -bytes) <= 0 then redis.call('HDEL', sizes, '#room') end
  redis.call('DECRBY', P .. 'held_bytes', bytes)
end
local function remove(room, peer)
  release(room, peer, tonumber(redis.call('HGET', key(room, 'bytes'), peer) or '0'))
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
 * {'missing'} | {'expired'} | {'taken'} | {'ok', previousOwner, kept ('1' or '0'), others...}.
 * Only a place owned by previousOwner (or already by socket: a retried resume) is handed over.
 * The kept relays stay in the mailbox until KEPT_PAGE and FORGET hand them over: a reply never
 * carries them all at once, and a resume whose answer got lost can be asked again.
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
local kept = redis.call('LLEN', key(room, 'mailbox:' .. peer)) > 0
if kept then redis.call('HSET', key(room, 'held'), peer, 2)
else redis.call('HDEL', key(room, 'held'), peer) end
redis.call('ZADD', P .. 'leases', now + lease, lease_member(room, peer))
local result = {'ok', owner, kept and '1' or '0'}
for _, other in ipairs(redis.call('ZRANGE', key(room, 'members'), 0, -1)) do
  if other ~= peer then result[#result + 1] = other end
end
return result
`

/**
 * ARGV: prefix, room, peer, socket, maxBytes, maxCount → {'gone'} | {'ok', messages...}: the
 * oldest kept relays, about maxBytes of them (at least one), left in place.
 */
export const KEPT_PAGE = `${COMMON}
local room, peer, socket = ARGV[2], ARGV[3], ARGV[4]
local max_bytes, max_count = tonumber(ARGV[5]), tonumber(ARGV[6])
if redis.call('HGET', key(room, 'owners'), peer) ~= socket then return {'gone'} end
local result, bytes = {'ok'}, 0
for _, message in ipairs(redis.call('LRANGE', key(room, 'mailbox:' .. peer), 0, max_count - 1)) do
  if #result > 1 and bytes + #message > max_bytes then break end
  result[#result + 1] = message
  bytes = bytes + #message
end
return result
`

/**
 * ARGV: prefix, room, peer, socket, count → -1 if the socket does not own the place, else how
 * many kept relays remain after dropping the count oldest; at 0 the place is live again.
 */
export const FORGET = `${COMMON}
local room, peer, socket, count = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if redis.call('HGET', key(room, 'owners'), peer) ~= socket then return -1 end
local box = key(room, 'mailbox:' .. peer)
local bytes = 0
if count > 0 then
  for _, message in ipairs(redis.call('LPOP', box, count) or {}) do bytes = bytes + #message end
end
release(room, peer, bytes)
local left = redis.call('LLEN', box)
if left == 0 and redis.call('HGET', key(room, 'held'), peer) == '2' then
  redis.call('HDEL', key(room, 'held'), peer)
end
return left
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
 * ARGV: prefix, room, sender, senderSocket, peer, message, countLimit, mailboxBytes, roomBytes,
 * storeBytes → 'gone' | 'live' | 'held' | 'missing' | 'mailbox-full' | 'room-full' | 'store-full'.
 */
export const DELIVER = `${COMMON}
local room, sender, socket, peer = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local message, limit = ARGV[6], tonumber(ARGV[7])
if redis.call('HGET', key(room, 'owners'), sender) ~= socket then return 'gone' end
if redis.call('HEXISTS', key(room, 'owners'), peer) == 0 then return 'missing' end
if redis.call('HEXISTS', key(room, 'held'), peer) == 0 then return 'live' end
local box = key(room, 'mailbox:' .. peer)
if redis.call('LLEN', box) >= limit then return 'mailbox-full' end
local size, sizes = #message, key(room, 'bytes')
if tonumber(redis.call('HGET', sizes, peer) or '0') + size > tonumber(ARGV[8]) then
  return 'mailbox-full'
end
if tonumber(redis.call('HGET', sizes, '#room') or '0') + size > tonumber(ARGV[9]) then
  return 'room-full'
end
if tonumber(redis.call('GET', P .. 'held_bytes') or '0') + size > tonumber(ARGV[10]) then
  return 'store-full'
end
redis.call('RPUSH', box, message)
redis.call('HINCRBY', sizes, peer, size)
redis.call('HINCRBY', sizes, '#room', size)
redis.call('INCRBY', P .. 'held_bytes', size)
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
    and redis.call('HGET', key(room, 'held'), peer) ~= '1' then
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
