package steps

import "testing"

func TestBearerErrorCode(t *testing.T) {
	cases := []struct {
		name   string
		values []string
		code   string
		found  bool
	}{
		{"bare challenge", []string{`Bearer realm="example"`}, "", false},
		{"scheme only", []string{`Bearer`}, "", false},
		{"quoted code", []string{`Bearer realm="example", error="invalid_token"`}, "invalid_token", true},
		{"token code, odd case and spacing", []string{`bearer  realm=x ,ERROR = invalid_token`}, "invalid_token", true},
		{"comma and quote inside realm", []string{`Bearer realm="a, error=\"nope\"", error="invalid_token"`}, "invalid_token", true},
		{"error_description is not error", []string{`Bearer error_description="bad", realm="r"`}, "", false},
		{"other scheme skipped", []string{`Basic realm="r", error="x"`, `Bearer error="invalid_token"`}, "invalid_token", true},
		{"malformed piece skipped", []string{`Bearer garbage, error=invalid_token`}, "invalid_token", true},
		{"unterminated quote", []string{`Bearer error="invalid_tok`}, "invalid_tok", true},
		{"no header", nil, "", false},
		{"Bearer second in one value", []string{`Basic realm="r", Bearer realm="s", error="invalid_token"`}, "invalid_token", true},
		{"error of the Basic challenge after a Bearer one", []string{`Bearer realm="s", Basic realm="r", error="x"`}, "", false},
		{"first Bearer challenge with an error", []string{`Bearer realm="a"`, `Bearer error=invalid_token`}, "invalid_token", true},
		{"escaped quote in the code", []string{`Bearer error="a\"b"`}, `a"b`, true},
		{"a param before any scheme", []string{`error="invalid_token"`}, "", false},
	}
	for _, tc := range cases {
		code, found := bearerErrorCode(tc.values)
		if code != tc.code || found != tc.found {
			t.Errorf("%s: bearerErrorCode(%q) = %q, %v; want %q, %v", tc.name, tc.values, code, found, tc.code, tc.found)
		}
	}
}

func TestHasBearerChallenge(t *testing.T) {
	cases := []struct {
		values []string
		want   bool
	}{
		{[]string{`Bearer realm="scim"`}, true},
		{[]string{`Basic realm="scim", charset="UTF-8"`}, false},
		{[]string{`Basic realm="x", Bearer realm="y"`}, true},
		{[]string{`Basic realm="a, Bearer b"`}, false},
		{[]string{`Basic realm="a \", Bearer b"`}, false},
		{[]string{`Basic realm="x"`, `bearer`}, true},
		{[]string{`Basic realm="x", bearer = "1"`}, false},
		{[]string{`Negotiate abc==, Bearer`}, true},
		{[]string{`realm="x"`}, false},
		{nil, false},
	}
	for _, tc := range cases {
		if got := hasBearerChallenge(tc.values); got != tc.want {
			t.Errorf("hasBearerChallenge(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}
