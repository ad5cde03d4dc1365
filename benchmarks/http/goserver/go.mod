module spindle.dev/benchmarks/http/goserver

go 1.19
