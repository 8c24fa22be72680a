-- ARGV: prefix, id, json, expiresAtMs ('' for none). Returns the replaced JSON or nil.
return store(ARGV[2], ARGV[3], ARGV[4])
