module spindle.dev/benchmarks/echo/goserver

go 1.19
