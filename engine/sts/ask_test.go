package sts

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/clock"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// A question's request has one time (engine/clock): the question's, or
// its context's aws:CurrentTime. The chain is walked at its own time, or
// at the request's when it gives none; the final request is made at the
// request's time, or when the final session was issued. Credentials last
// DurationSeconds (STS GetSessionToken API reference).
func TestAskClock(t *testing.T) {
	e := chainEngine(t)
	gst := func(dur int) *scenario.Step {
		return &scenario.Step{Op: scenario.OpGetSessionToken, MFA: true, Duration: dur, HasDuration: true}
	}
	later := T0.Add(2 * time.Hour)
	for _, tc := range []struct {
		name      string
		chainTime time.Time
		reqTime   time.Time
		context   map[string]any
		dur       int
		issued    time.Time // zero: not checked
		at        time.Time // zero: not checked
		err       string
		expired   bool
	}{
		{"the chain's time and a later request", T0, later, nil, 43200, T0, later, "", false},
		{"the chain at the request's time", time.Time{}, later, nil, 43200, later, later, "", false},
		{"the context's aws:CurrentTime is the request's time", T0, time.Time{}, map[string]any{"aws:CurrentTime": clock.Format(later)}, 43200, T0, later, "", false},
		{"the chain's time alone", T0, time.Time{}, nil, 43200, T0, T0, "", false},
		{"a 900-second session an hour later", T0, T0.Add(time.Hour), nil, 900, time.Time{}, time.Time{}, "expired at 2026-01-01T00:15:00Z", true},
		{"a request before its chain", later, T0, nil, 43200, time.Time{}, time.Time{}, "precedes its chain's time", false},
		{"a context time against the question's", T0, later, map[string]any{"aws:CurrentTime": clock.Format(T0)}, 43200, time.Time{}, time.Time{}, "a request is made at one time", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := &Question{Chain: &scenario.Chain{As: alice, Time: tc.chainTime, Steps: steps(gst(tc.dur))},
				Request: engine.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "111111111111",
					Time: tc.reqTime, Context: tc.context}}
			a, err := e.Ask(context.Background(), q)
			if errors.Is(err, clock.ErrExpired) != tc.expired || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("error %v, want %q (expired: %v)", err, tc.err, tc.expired)
			}
			if tc.err == "" && err != nil {
				t.Fatal(err)
			}
			if err != nil {
				return
			}
			if !a.Chain.Final.Issued.Equal(tc.issued) || !a.At.Equal(tc.at) || !a.Decision.Request.Time.Equal(tc.at) {
				t.Errorf("issued %s, made at %s (%s); want %s, %s", a.Chain.Final.Issued, a.At, a.Decision.Request.Time, tc.issued, tc.at)
			}
		})
	}
}
