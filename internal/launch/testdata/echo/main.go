// Command echo is a tiny HTTP server used by the launch tests: it has a
// health path, reports its environment variable GREETING, and logs every
// request so the tests can read the container's logs.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /base/greeting", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("greeting requested from %s", r.RemoteAddr)
		fmt.Fprint(w, os.Getenv("GREETING"))
	})
	log.Printf("echo listening on %s", os.Args[1])
	log.Fatal(http.ListenAndServe(os.Args[1], mux))
}
