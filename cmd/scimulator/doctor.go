package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/scimulator/scimulator/internal/doctor"
	"github.com/scimulator/scimulator/internal/target"
	"github.com/scimulator/scimulator/simulator"
)

// headerFlags collects repeated --header "Name: value" flags.
type headerFlags struct{ h http.Header }

func (f *headerFlags) String() string { return "" }
func (f *headerFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want \"Name: value\", got %q", v)
	}
	if strings.EqualFold(strings.TrimSpace(name), "Authorization") {
		return errors.New("set the credential with --token-env, not --header")
	}
	f.h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	return nil
}

// runDoctor sends Okta's Test API Credentials request to --url, prints what
// Okta would show and the diagnosis, and exits 0 only when Okta would say the
// connection works.
func runDoctor(ctx context.Context, args []string, getenv env, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		rawURL         = fs.String("url", "", "SCIM base URL as entered in Okta, e.g. https://api.example.com/scim/v2 (required)")
		tokenEnv       = fs.String("token-env", "", "environment variable holding the API token (basic: the password) (required)")
		authMode       = fs.String("auth", "bearer", "how Okta sends the token: header (verbatim), bearer, or basic")
		username       = fs.String("username", "", "user name for --auth basic")
		appName        = fs.String("app", "SCIM app", "the app's label in Okta, as its messages name it (e.g. Cortex)")
		asJSON         = fs.Bool("json", false, "print the report as JSON")
		deep           = fs.Bool("deep", false, "also create, read and deactivate a throwaway user, then delete it")
		allowHTTP      = fs.Bool("allow-http", false, "accept a plain http:// URL for local testing (Okta itself refuses it)")
		groups         = fs.Bool("groups", false, "also GET /Groups, as Okta does when Push groups is on")
		profile        = fs.String("profile", "OIN", "Okta traffic profile for --deep: OIN (PATCH) or AIW (PUT)")
		timeout        = fs.Duration("timeout", simulator.DefaultTimeout, "read timeout (Okta waits 60s)")
		connectTimeout = fs.Duration("connect-timeout", simulator.DefaultConnectTimeout, "TCP and TLS connect timeout")
		caFile         = fs.String("ca-file", "", "PEM file of CA certificates doctor trusts to diagnose past TLS; Okta trusts public CAs only, so a certificate trusted only through it fails the run")
		headers        = &headerFlags{h: http.Header{}}
		idp            = fs.String("idp", "okta", "identity provider whose connection test to run: okta (Test API Credentials) or entra (Test Connection)")
	)
	fs.Var(headers, "header", `extra request header "Name: value", repeatable (e.g. X-Forwarded-For to play Okta's egress IP)`)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: scimulator doctor --url URL --token-env VAR [flags]")
		fmt.Fprintln(stderr, "\nSends Okta's Test API Credentials request to the URL, shows what Okta would show and why.")
		fmt.Fprintln(stderr, "Exit 0 only when Okta would accept the connection.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rawURL == "" || *tokenEnv == "" {
		return usageError("--url and --token-env are required")
	}
	secret := getenv(*tokenEnv)
	if secret == "" {
		return usageError("environment variable %s is empty or unset", *tokenEnv)
	}
	auth := simulator.Auth{Mode: simulator.AuthMode(strings.ToLower(*authMode))}
	switch auth.Mode {
	case simulator.AuthHeader, simulator.AuthBearer:
		auth.Secret = secret
	case simulator.AuthBasic:
		if *username == "" {
			return usageError("--auth basic needs --username")
		}
		auth.Username, auth.Password = *username, secret
	default:
		return usageError("--auth %q: want header, bearer or basic", *authMode)
	}
	if *timeout <= 0 || *connectTimeout <= 0 {
		return usageError("--timeout and --connect-timeout must be positive")
	}
	which, err := target.ParseIdP(*idp)
	if err != nil {
		return usageError("--idp: %v", err)
	}
	if which == target.IdPEntra {
		set := map[string]bool{}
		fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
		return runDoctorEntra(ctx, set, *authMode, doctor.EntraConfig{URL: *rawURL, Token: secret, AllowHTTP: *allowHTTP,
			Timeout: *timeout, ExtraHeaders: headers.h}, *asJSON, stdout)
	}
	cfg := doctor.Config{
		URL: *rawURL, Auth: auth, AppName: *appName, AllowHTTP: *allowHTTP, Deep: *deep, Groups: *groups,
		Profile: simulator.TrafficProfile(strings.ToUpper(*profile)),
		Timeout: *timeout, ConnectTimeout: *connectTimeout, ExtraHeaders: headers.h,
	}
	if *caFile != "" {
		certs, err := loadRoots(*caFile)
		if err != nil {
			return usageError("%v", err)
		}
		cfg.ExtraRoots = certs
	}
	// The whole run is bounded even if a target misbehaves in a new way.
	ctx, cancel := context.WithTimeout(ctx, 4**timeout+2**connectTimeout+30*time.Second)
	defer cancel()
	rep, err := doctor.Run(ctx, cfg)
	return finishDoctor(rep, rep.OK, err, *asJSON, "Okta", stdout)
}

// loadRoots returns the PEM certificates in path. doctor trusts them on top
// of the system roots, and reports that Okta would not.
func loadRoots(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--ca-file: %w", err)
	}
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("--ca-file %s: %w", path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("--ca-file %s: no PEM certificate found", path)
	}
	return certs, nil
}

// oktaOnlyDoctorFlags describe Okta's test only; with --idp entra they
// would be silently ignored, so they are refused.
var oktaOnlyDoctorFlags = map[string]string{
	"username":        "Entra sends the Secret Token as a bearer token only",
	"app":             "Entra's Test Connection notification does not name the app",
	"groups":          "Entra's Test Connection queries /Users only",
	"deep":            "the round trip is Okta's; run the Entra scenarios with scimulator run --idp entra",
	"profile":         "traffic profiles are Okta's",
	"ca-file":         "Entra trusts publicly trusted certificates only",
	"connect-timeout": "the Entra simulator bounds each exchange with --timeout",
}

// runDoctorEntra runs Entra's Test Connection and prints what the Entra
// admin would see; exit 1 unless Entra would accept the connection.
func runDoctorEntra(ctx context.Context, set map[string]bool, authMode string, cfg doctor.EntraConfig, asJSON bool, stdout io.Writer) error {
	for name, why := range oktaOnlyDoctorFlags {
		if set[name] {
			return usageError("--%s does not apply with --idp entra: %s", name, why)
		}
	}
	if !strings.EqualFold(authMode, "bearer") {
		return usageError("--auth: Entra sends the Secret Token as a bearer token only (drop --auth or use bearer)")
	}
	ctx, cancel := context.WithTimeout(ctx, 2*cfg.Timeout+30*time.Second)
	defer cancel()
	rep, err := doctor.RunEntra(ctx, cfg)
	return finishDoctor(rep, rep.OK, err, asJSON, "Entra", stdout)
}

// doctorReport is a doctor run's report (Okta's or Entra's).
type doctorReport interface {
	WriteJSON(io.Writer) error
	WriteText(io.Writer) error
}

// finishDoctor turns a doctor run into the command's output and exit
// status: 2 for a configuration doctor cannot run with, 1 unless the IdP
// would accept the connection.
func finishDoctor(rep doctorReport, ok bool, err error, asJSON bool, idp string, stdout io.Writer) error {
	var cfgErr *doctor.ConfigError
	switch {
	case errors.As(err, &cfgErr):
		return usageError("%v", cfgErr)
	case err != nil:
		return err
	}
	if asJSON {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if !ok {
		return &exitError{code: 1, err: fmt.Errorf("the connection would not be accepted by %s", idp)}
	}
	return nil
}
