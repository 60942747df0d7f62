package main

import (
	"strings"
	"testing"
)

// The request's clock (--time, --chain-time, aws:CurrentTime in --context)
// and a request through a VPC endpoint (--vpc-endpoint), on the corpus's
// worlds for them.
func TestClockAndEndpointFlags(t *testing.T) {
	clock := "../../corpus/chains/request_clock.yaml"
	vpce := "../../corpus/interplay/vpc_endpoint.yaml"
	mary := []string{"--world", clock, "--as", "arn:aws:iam::111111111111:user/mary", "--step", "GetSessionToken mfa=true",
		"--chain-time", "2026-03-02T08:00:00Z"}
	read := []string{"--action", "s3:GetObject", "--resource", "arn:aws:s3:::audit/q1.csv", "--resource-account", "111111111111"}
	why := func(args ...string) []string {
		return append(append([]string{"why"}, mary...), append(args, read...)...)
	}
	dev := []string{"why", "--world", vpce, "--principal", "arn:aws:iam::111122223333:user/dev", "--resource", "arn:aws:s3:::corp-data/r.csv"}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"MFA at 08:00 used at 10:00", why("--time", "2026-03-02T10:00:00Z"), 0, "aws:MultiFactorAuthAge = 7200 (from the session)", ""},
		{"aws:CurrentTime is the request's time", why("--context", "aws:CurrentTime=2026-03-02T10:00:00Z"), 0, "aws:MultiFactorAuthAge = 7200", ""},
		{"a context time against --time", why("--time", "2026-03-02T10:00:00Z", "--context", "aws:CurrentTime=2026-03-02T09:00:00Z"), 2, "", "a request is made at one time"},
		{"a request before its chain", why("--time", "2026-03-02T07:00:00Z"), 2, "", "precedes its chain's time"},
		{"expired credentials", why("--time", "2026-03-03T08:00:00Z"), 2, "", "ExpiredTokenException"},
		{"a bad --chain-time", []string{"why", "--world", clock, "--as", "arn:aws:iam::111111111111:user/mary", "--step", "GetSessionToken", "--chain-time", "8am"}, 2, "", "--chain-time: expected RFC 3339"},
		{"--chain-time without a chain", append(append([]string{"why"}, "--world", clock, "--principal", "arn:aws:iam::111111111111:user/mary", "--chain-time", "2026-03-02T08:00:00Z"), read...), 2, "", "needs a chain"},
		{"can at a time", append([]string{"can"}, append(mary, "--time", "2026-03-02T10:00:00Z")...), 0, "s3", ""},
		{"can after the expiry", append([]string{"can"}, append(mary, "--time", "2026-03-03T10:00:00Z")...), 2, "", "ExpiredTokenException"},
		{"through an endpoint", append(dev, "--action", "s3:PutObject", "--vpc-endpoint", "vpce-0b00000000000000b"), 0, "blocked by: endpoint", ""},
		{"an unknown endpoint", append(dev, "--action", "s3:PutObject", "--vpc-endpoint", "vpce-0b0000000000000ff"), 2, "", "no such endpoint"},
		{"an endpoint of another service", append(dev, "--action", "s3:PutObject", "--vpc-endpoint", "vpce-0d00000000000000d"), 2, "", "cannot go through it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.stdout) || !strings.Contains(errOut, tc.stderr) {
				t.Errorf("exit %d (want %d)\nstdout: %.600s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}
