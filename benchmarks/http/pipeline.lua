-- wrk script: sends DEPTH requests back to back on each connection before reading (HTTP/1.1 pipelining), as
-- TechEmpower's plaintext test does. Usage: wrk ... -s pipeline.lua URL -- DEPTH
init = function(args)
    local depth = tonumber(args[1]) or 1
    local r = {}
    for i = 1, depth do
        r[i] = wrk.format()
    end
    req = table.concat(r)
end

request = function()
    return req
end
