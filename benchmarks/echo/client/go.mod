module spindle.dev/benchmarks/echo/client

go 1.19
