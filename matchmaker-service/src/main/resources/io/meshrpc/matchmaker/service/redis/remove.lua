-- ARGV: prefix, id. Returns the removed JSON or nil.
return drop(ARGV[2])
