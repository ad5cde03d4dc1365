// Command echo-go is the echo benchmark's Go server: one goroutine per connection, each copying what it reads
// straight back through a 64 KiB buffer (the io.Copy idiom, written out so the buffer size is fixed).
//
//	echo-go -port P
//
// It listens on 127.0.0.1 only, and runs until killed. Set GOMAXPROCS in the environment (benchmarks/echo.sh runs
// it with 1, and unset); the value in force is printed on stderr at start.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
)

func main() {
	port := flag.Int("port", 0, "the port to listen on, on 127.0.0.1")
	flag.Parse()
	if *port < 1 || *port > 65535 {
		fmt.Fprintln(os.Stderr, "echo-go: -port 1..65535 is required")
		os.Exit(2)
	}
	ln, err := net.Listen("tcp4", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo-go:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "echo-go: listening on %s, GOMAXPROCS=%d\n", ln.Addr(), runtime.GOMAXPROCS(0))
	for {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo-go: accept:", err)
			continue
		}
		go echo(c)
	}
}

func echo(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
