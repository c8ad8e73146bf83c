package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"flag"
	"fmt"
	"io"
	stdlog "log"
	"math/big"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/scimulator/scimulator/reference"
	"github.com/scimulator/scimulator/reference/store"
)

// serveConfig is everything `scimulator serve` needs, parsed once from flags
// and environment.
type serveConfig struct {
	addr       string
	enableSCIM bool
	tlsCert    string
	tlsKey     string
	selfSigned bool
	logFormat  string
	faults     []string
	storeFile  string
	adminKey   string
}

// parseServe reads flags and environment. Environment (for containers):
// SCIMULATOR_ADMIN_KEY, SCIMULATOR_ENABLE_SCIM=1|true, SCIMULATOR_FAULTS
// (comma-separated, added to --fault).
func parseServe(args []string, getenv env, stderr io.Writer) (serveConfig, error) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "listen address `host:port`")
	fs.BoolVar(&c.enableSCIM, "enable-scim", false, "start with the SCIM setting on (default off, as in Cortex); env SCIMULATOR_ENABLE_SCIM=1")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "TLS certificate `file` (PEM); needs --tls-key")
	fs.StringVar(&c.tlsKey, "tls-key", "", "TLS private key `file` (PEM); needs --tls-cert")
	fs.BoolVar(&c.selfSigned, "tls-self-signed", false, "serve HTTPS with a self-signed certificate generated in memory")
	fs.StringVar(&c.logFormat, "log-format", "json", "request log format: json or console")
	faults := fs.String("fault", "", "comma-separated fault `names` to switch on (listed below); env SCIMULATOR_FAULTS")
	fs.StringVar(&c.storeFile, "store-file", "", "keep the workspace in this JSON `file` across restarts (default: in memory)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator serve [flags]")
		fmt.Fprintln(stderr, "\nRuns the reference SCIM server (Cortex semantics). SCIM base URL: <scheme>://<addr>/scim/v2")
		fmt.Fprintln(stderr, "Environment: SCIMULATOR_ADMIN_KEY sets the bootstrap admin key (otherwise one is generated and printed once).")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
		printFaults(stderr)
	}
	if err := parseFlags(fs, args); err != nil {
		return c, err
	}
	if v := strings.TrimSpace(getenv("SCIMULATOR_ENABLE_SCIM")); v != "" {
		on, ok := parseBoolEnv(v)
		if !ok {
			return c, usageError("SCIMULATOR_ENABLE_SCIM=%q: want 1, true, 0 or false", v)
		}
		c.enableSCIM = c.enableSCIM || on
	}
	for _, list := range []string{*faults, getenv("SCIMULATOR_FAULTS")} {
		for _, f := range strings.Split(list, ",") {
			if f = strings.TrimSpace(f); f != "" {
				c.faults = append(c.faults, f)
			}
		}
	}
	c.adminKey = strings.TrimSpace(getenv("SCIMULATOR_ADMIN_KEY"))
	switch {
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return c, usageError("--tls-cert and --tls-key go together")
	case c.selfSigned && c.tlsCert != "":
		return c, usageError("--tls-self-signed and --tls-cert are exclusive")
	case c.logFormat != "json" && c.logFormat != "console":
		return c, usageError("--log-format %q: want json or console", c.logFormat)
	}
	if _, _, err := net.SplitHostPort(c.addr); err != nil {
		return c, usageError("--addr %q: %v", c.addr, err)
	}
	return c, nil
}

func parseBoolEnv(v string) (on, ok bool) {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}

// runServe is `scimulator serve`: it runs the reference server until ctx is
// cancelled (SIGINT/SIGTERM), then shuts down gracefully.
func runServe(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	c, err := parseServe(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := zerolog.New(stderr).With().Timestamp().Logger()
	if c.logFormat == "console" {
		// Colours only on a terminal: piped into a file or a log collector,
		// ANSI escapes are noise.
		logger = zerolog.New(zerolog.ConsoleWriter{Out: stderr, TimeFormat: time.TimeOnly, NoColor: !isTerminal(stderr)}).
			With().Timestamp().Logger()
	}
	cfg := reference.Config{AdminKey: c.adminKey, EnableSCIM: c.enableSCIM, Faults: c.faults, Logger: logger}
	if c.storeFile == "" {
		return serve(ctx, c, cfg, logger, stdout)
	}
	st, err := store.OpenFile(c.storeFile)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	cfg.Store = st
	err = serve(ctx, c, cfg, logger, stdout)
	// serve has shut the server down, so nothing writes to the store any
	// more: this save is the last, and losing it is the command's failure.
	if cerr := st.Close(); cerr != nil {
		return errors.Join(err, fmt.Errorf("serve: save store: %w", cerr))
	}
	return err
}

// serve runs the reference server built from cfg until ctx is cancelled,
// then shuts it down gracefully.
func serve(ctx context.Context, c serveConfig, cfg reference.Config, logger zerolog.Logger, stdout io.Writer) error {
	srv, err := reference.New(cfg)
	if err != nil {
		if errors.Is(err, reference.ErrUnknownFault) {
			return usageError("%v", err)
		}
		return fmt.Errorf("serve: %w", err)
	}

	var tlsConf *tls.Config
	switch {
	case c.selfSigned:
		cert, fingerprint, err := selfSignedCert(c.addr, time.Now())
		if err != nil {
			return fmt.Errorf("serve: self-signed certificate: %w", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		fmt.Fprintf(stdout, "self-signed certificate SHA-256 fingerprint: %s\n", fingerprint)
	case c.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return usageError("--tls-cert/--tls-key: %v", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	scheme := "http"
	if tlsConf != nil {
		ln = tls.NewListener(ln, tlsConf)
		scheme = "https"
	}
	// The banner reports the setting the server holds after loading: a kept
	// workspace keeps its own SCIM setting, whatever --enable-scim said.
	scimOn, err := srv.SCIMEnabled()
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: %w", err)
	}
	hs := newHTTPServer(srv.Handler(), logger)
	fmt.Fprintf(stdout, "scimulator reference server listening on %s://%s (SCIM base URL %s://%s/scim/v2, SCIM %s)\n",
		scheme, ln.Addr(), scheme, ln.Addr(), onOff(scimOn))
	if c.adminKey == "" {
		// Printed once, to stdout only; it is never logged.
		fmt.Fprintf(stdout, "bootstrap admin API key (shown once; set SCIMULATOR_ADMIN_KEY to choose it): %s\n", srv.AdminKey())
	}
	logger.Info().Str("addr", ln.Addr().String()).Str("scheme", scheme).Strs("faults", c.faults).Msg("serving")

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info().Msg("stopped")
	return nil
}

// newHTTPServer wraps h with the server's timeouts. WriteTimeout is
// reference.WriteTimeout, the bound a deprovision waits for in-flight
// requests: a response not written by then cannot reach the client, which is
// what makes the race rule (SPEC §1.4) hold without exception.
func newHTTPServer(h http.Handler, logger zerolog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      reference.WriteTimeout,
		IdleTimeout:       120 * time.Second,
		// TLS handshake failures and the like, as log events too.
		ErrorLog: stdlog.New(logger.With().Str("component", "http").Logger(), "", 0),
	}
}

// isTerminal reports whether w is a character device such as a terminal
// (not a file, pipe or buffer).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// selfSignedCert makes an ECDSA P-256 certificate, valid for a year, for
// localhost, the loopback addresses and the host of addr. It lives in memory
// only.
func selfSignedCert(addr string, now time.Time) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	if err != nil {
		return tls.Certificate{}, "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "scimulator reference server", Organization: []string{"scimulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		if ip := net.ParseIP(host); ip != nil {
			// The default --addr is 127.0.0.1, already listed: each
			// address appears once in the SAN list.
			if !ip.IsUnspecified() && !slices.ContainsFunc(tmpl.IPAddresses, ip.Equal) {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if !slices.ContainsFunc(tmpl.DNSNames, func(n string) bool { return strings.EqualFold(n, host) }) {
			tmpl.DNSNames = append(tmpl.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	sum := sha256.Sum256(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, fmt.Sprintf("%X", sum), nil
}
