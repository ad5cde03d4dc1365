// Command http-go is the HTTP benchmark's Go peer: net/http's server answering /plaintext and /json (encoding/json,
// a new object per request), as TechEmpower's go/net-http entry does.
//
//	http-go -port P
//
// It listens on 127.0.0.1 only and runs until killed; GOMAXPROCS comes from the environment.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
)

type message struct {
	Message string `json:"message"`
}

var hello = []byte("Hello, World!")

func plaintext(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = []string{"text/plain"}
	h["Server"] = []string{"go"}
	w.Write(hello)
}

func jsonHandler(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Server"] = []string{"go"}
	b, _ := json.Marshal(&message{Message: "Hello, World!"})
	w.Write(b)
}

func main() {
	port := flag.Int("port", 0, "the port to listen on, on 127.0.0.1")
	flag.Parse()
	if *port < 1 || *port > 65535 {
		fmt.Fprintln(os.Stderr, "http-go: -port 1..65535 is required")
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/plaintext", plaintext)
	mux.HandleFunc("/json", jsonHandler)
	fmt.Fprintf(os.Stderr, "http-go on 127.0.0.1:%d, GOMAXPROCS=%d\n", *port, runtime.GOMAXPROCS(0))
	if err := http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *port), mux); err != nil {
		fmt.Fprintln(os.Stderr, "http-go:", err)
		os.Exit(1)
	}
}
