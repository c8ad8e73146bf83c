// Package hostile is a set of misbehaving SCIM targets for tests: each
// Behaviour is an HTTP handler that answers every request in one hostile
// way (never answering, stalling the body, cutting it off, sending 50 MB,
// escape sequences, a 2 MB header, …). The harness must read each of them
// truthfully and never hand their bytes to a terminal (issue 11). Only
// tests use it; it lives outside a _test file so that the doctor package
// and the command line share the same targets.
package hostile

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
)

// Escapes are what a hostile target writes to attack a terminal: retitle
// it (OSC 0 … BEL), recolour it (CSI 31 m), clear it (CSI 2 J), an 8-bit
// CSI, NUL, DEL and a byte that is not UTF-8.
const Escapes = "\x1b]0;pwned\x07\x1b[31mRED\x1b[2J\u009b1m\x00\x7f\xff"

// HeaderEscapes are the escapes that survive in a header value: Go's HTTP
// client refuses C0 controls and DEL there (and quotes the line in its
// error), but passes an 8-bit CSI, a bidi override and bytes that are not
// UTF-8.
const HeaderEscapes = "\u009b31m\u202eRED\xff"

// Behaviour is one way of misbehaving.
type Behaviour struct {
	// Name names the behaviour in test output.
	Name string
	// Handler answers every request that way. It gets the token the
	// harness sends, to echo it: a hostile target may reflect the
	// credential, which must still never reach an output.
	Handler func(token string) http.Handler
}

// Behaviours are the hostile targets, in the order the issue lists them.
func Behaviours() []Behaviour {
	return []Behaviour{
		{"never answers", func(string) http.Handler { return http.HandlerFunc(neverAnswers) }},
		{"stalls the body", func(string) http.Handler { return http.HandlerFunc(stallsBody) }},
		{"garbage JSON", func(string) http.Handler {
			return answer(http.StatusOK, `{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1, "Resources": [{"id": tru`)
		}},
		{"50 MB body", func(string) http.Handler { return http.HandlerFunc(hugeBody) }},
		{"redirect to another host", func(string) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://attacker.example/steal"+r.URL.RequestURI(), http.StatusFound)
			})
		}},
		{"reset mid-body", func(string) http.Handler { return http.HandlerFunc(resetMidBody) }},
		{"500 to all", func(string) http.Handler {
			return answer(http.StatusInternalServerError, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"database on fire"}`)
		}},
		{"escape sequences in body and headers", escapes},
		{"escape sequences in an error detail", escapedDetail},
		{"2 MB response header", func(string) http.Handler { return http.HandlerFunc(hugeHeader) }},
		// Two more that must not read as each other or as a stall.
		{"closes mid chunked body", func(string) http.Handler { return http.HandlerFunc(closesMidChunk) }},
		{"empty 200", func(string) http.Handler { return answer(http.StatusOK, "") }},
	}
}

// Lookup returns the behaviour called name; it panics on an unknown name
// (a mistake in a test).
func Lookup(name string) Behaviour {
	for _, b := range Behaviours() {
		if b.Name == name {
			return b
		}
	}
	panic("hostile: no behaviour " + name)
}

func answer(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// neverAnswers reads the request and sends nothing until the client gives up.
func neverAnswers(_ http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// StalledPrefix is what stallsBody sends of its body before stalling.
const StalledPrefix = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],`

// stallsBody sends the status, headers and the start of the body at once,
// then nothing more until the client gives up.
func stallsBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.Header().Set("Content-Length", "4096")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, StalledPrefix)
	w.(http.Flusher).Flush()
	<-r.Context().Done()
}

// HugeSize is the size of hugeBody's answer: 50 MB.
const HugeSize = 50 << 20

// hugeBody answers 200 with a 50 MB body, declared in Content-Length, until
// the client stops reading.
func hugeBody(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/scim+json")
	w.Header().Set("Content-Length", fmt.Sprint(HugeSize))
	w.WriteHeader(http.StatusOK)
	chunk := []byte(strings.Repeat(" ", 64<<10))
	for sent := 0; sent < HugeSize; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// ResetAfter is how many body bytes resetMidBody sends before the reset.
const ResetAfter = len(StalledPrefix)

// resetMidBody announces 4096 bytes, sends the start, then resets the
// connection (RST, not FIN: SO_LINGER 0).
func resetMidBody(w http.ResponseWriter, _ *http.Request) {
	conn, buf := hijack(w)
	if conn == nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 4096\r\n\r\n%s", StalledPrefix)
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// closesMidChunk sends a chunked body's first chunk, then closes the
// connection (FIN) without the closing chunk.
func closesMidChunk(w http.ResponseWriter, _ *http.Request) {
	conn, buf := hijack(w)
	if conn == nil {
		return
	}
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(StalledPrefix), StalledPrefix)
	_ = buf.Flush()
	_ = conn.Close()
}

// escapes writes terminal escapes in the status line's reason phrase, in
// the headers doctor and run show (Content-Type, WWW-Authenticate,
// Location-free) and in the body, together with the token it was sent.
// net/http refuses to write control characters in headers, so the answer
// is written raw.
func escapes(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf := hijack(w)
		if conn == nil {
			return
		}
		defer conn.Close()
		status := "200 OK" + Escapes
		if r.Header.Get("Authorization") == "" {
			status = "401 Unauthorized" + Escapes
		}
		body := fmt.Sprintf(`%s{"detail":"%s you sent %s", "Resources": "%s"}`, Escapes, Escapes, token, Escapes)
		fmt.Fprintf(buf, "HTTP/1.1 %s\r\nContent-Type: application/scim+json%s\r\nX-Echo: %s%s\r\nWWW-Authenticate: Bearer realm=\"%s\"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
			status, HeaderEscapes, HeaderEscapes, token, HeaderEscapes, len(body), body)
		_ = buf.Flush()
	})
}

// escapedDetail refuses every request with a 500 whose SCIM error detail
// holds escapes written the JSON way (\u001b decodes to a raw ESC), plus a
// raw DEL and a byte that is not UTF-8 (both legal inside a JSON string
// for Go's decoder), and the token: the detail lands in Okta's message.
func escapedDetail(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"%s you sent %s %s"}`, JSONEscapes, token, "\x7f\xff")
	})
}

// JSONEscapes is Escapes as a JSON string's content (without the byte that
// is not UTF-8).
const JSONEscapes = `\u001b]0;pwned\u0007\u001b[31mRED\u001b[2J\u009b1m\u0000`

// HugeHeaderSize is the size of hugeHeader's WWW-Authenticate header.
const HugeHeaderSize = 2 << 20

// hugeHeader refuses every request with 401 and a 2 MB WWW-Authenticate
// header: bounded reads must not turn it into 2 MB of output.
func hugeHeader(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="`+strings.Repeat("A", HugeHeaderSize)+`"`)
	w.Header().Set("Content-Type", "application/scim+json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401","detail":"no"}`)
}

func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return nil, nil
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return nil, nil
	}
	return conn, buf
}
