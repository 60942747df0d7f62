package clock

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	eight = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	ten   = eight.Add(2 * time.Hour)
)

// A request has one time: the question's, or the one its context's
// aws:CurrentTime or aws:EpochTime gives (both "always included in the
// request context", reference_policies_condition-keys.html#condition-keys-currenttime,
// #condition-keys-epochtime); two that disagree are an error.
func TestOf(t *testing.T) {
	for _, tc := range []struct {
		name    string
		given   time.Time
		context map[string]any
		want    time.Time
		err     string
	}{
		{"nothing", time.Time{}, nil, time.Time{}, ""},
		{"the question's time", ten, map[string]any{"aws:SourceIp": "10.0.0.1"}, ten, ""},
		{"aws:CurrentTime", time.Time{}, map[string]any{"aws:CurrentTime": "2026-03-02T10:00:00Z"}, ten, ""},
		{"any case, another zone", time.Time{}, map[string]any{"AWS:currenttime": "2026-03-02T11:00:00+01:00"}, ten, ""},
		{"aws:EpochTime as a number", time.Time{}, map[string]any{"aws:EpochTime": ten.Unix()}, ten, ""},
		{"aws:EpochTime as a YAML float", time.Time{}, map[string]any{"aws:EpochTime": float64(ten.Unix())}, ten, ""},
		{"aws:EpochTime as text", time.Time{}, map[string]any{"aws:EpochTime": "1772445600"}, ten, ""},
		{"agreeing keys and time", ten, map[string]any{"aws:CurrentTime": "2026-03-02T10:00:00Z", "aws:EpochTime": ten.Unix()}, ten, ""},
		{"a key against the time", eight, map[string]any{"aws:CurrentTime": "2026-03-02T10:00:00Z"}, time.Time{}, "a request is made at one time"},
		{"two keys that disagree", time.Time{}, map[string]any{"aws:CurrentTime": "2026-03-02T10:00:00Z", "aws:EpochTime": eight.Unix()}, time.Time{}, "a request is made at one time"},
		{"not a date", time.Time{}, map[string]any{"aws:CurrentTime": "soon"}, time.Time{}, "aws:CurrentTime"},
		{"a list", time.Time{}, map[string]any{"aws:CurrentTime": []any{"2026-03-02T10:00:00Z"}}, time.Time{}, "expected one date"},
		{"a fraction of a second", time.Time{}, map[string]any{"aws:EpochTime": 1.5}, time.Time{}, "whole number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Of(tc.given, tc.context)
			switch {
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error %v, want one saying %q", err, tc.err)
			case tc.err == "" && err != nil:
				t.Errorf("error %v", err)
			case !got.Equal(tc.want):
				t.Errorf("time %s, want %s", got, tc.want)
			}
		})
	}
}

// Credentials last DurationSeconds from their issue (STS GetSessionToken
// API reference); aws:MultiFactorAuthAge is "the number of seconds since
// the requesting principal was authorized using MFA"
// (reference_policies_condition-keys.html#condition-keys-multifactorauthage).
func TestSession(t *testing.T) {
	for _, tc := range []struct {
		name    string
		at      time.Time
		expires time.Time
		age     int64
		expired bool
		err     string
	}{
		{"MFA at 08:00, used at 10:00", ten, eight.Add(12 * time.Hour), 7200, false, ""},
		{"at the issue", eight, eight.Add(900 * time.Second), 0, false, ""},
		{"at the expiry", eight.Add(900 * time.Second), eight.Add(900 * time.Second), 900, false, ""},
		{"a 900-second session an hour later", eight.Add(time.Hour), eight.Add(900 * time.Second), 0, true, "expired at 2026-03-02T08:15:00Z"},
		{"before the issue", eight.Add(-time.Second), eight.Add(time.Hour), 0, false, "precedes the credentials"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			age, err := Session(tc.at, eight, tc.expires)
			if errors.Is(err, ErrExpired) != tc.expired {
				t.Errorf("expired: %v, want %v", err, tc.expired)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("error %v, want one saying %q", err, tc.err)
			}
			if tc.err == "" && (err != nil || age != tc.age) {
				t.Errorf("age %d (%v), want %d", age, err, tc.age)
			}
		})
	}
}
