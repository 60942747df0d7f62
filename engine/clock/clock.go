// Package clock is a request's clock. A request is made at one time: the
// time the question gives (a scenario check's time, --time), or the time
// its context's aws:CurrentTime or aws:EpochTime says, which then is that
// time (both keys are "always included in the request context",
// reference_policies_condition-keys.html#condition-keys-currenttime,
// #condition-keys-epochtime, so a request cannot carry one time in a key
// and be made at another). What a session's credentials say of the request
// (expired or not, aws:MultiFactorAuthAge) is computed from that time.
package clock

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/loader/policy"
)

// ErrExpired is the answer to a request made with credentials past their
// expiry: AWS refuses it before any policy is evaluated, with the
// ExpiredTokenException common to every service's API ("The security
// token included in the request is expired", e.g.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html),
// so it is no decision (allow or deny) of the policies.
var ErrExpired = errors.New("ExpiredTokenException: the security token included in the request is expired")

// The context keys that carry the request's time.
const (
	CurrentTime = "aws:CurrentTime"
	EpochTime   = "aws:EpochTime"
)

// Of returns the time a request is made at: given, or the time its context
// (keys compared case-insensitively) gives in aws:CurrentTime or
// aws:EpochTime; zero when none of them does. Two of them that disagree
// (to the second) are an error: a request has one time.
func Of(given time.Time, context map[string]any) (time.Time, error) {
	at, from := given, "the request's time"
	for k, v := range context {
		if !strings.EqualFold(k, CurrentTime) && !strings.EqualFold(k, EpochTime) {
			continue
		}
		t, err := contextTime(v)
		if err != nil {
			return time.Time{}, fmt.Errorf("context key %s: %w", k, err)
		}
		if !at.IsZero() && at.Unix() != t.Unix() {
			return time.Time{}, fmt.Errorf("context key %s says %s, but %s is %s: a request is made at one time",
				k, Format(t), from, Format(at))
		}
		at, from = t, "context key "+k
	}
	return at, nil
}

// contextTime reads a time from a context value: a date string (ISO 8601
// or epoch seconds, as Date conditions read it) or a number of epoch
// seconds.
func contextTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case string:
		return policy.ParseDate(x)
	case int:
		return time.Unix(int64(x), 0).UTC(), nil
	case int64:
		return time.Unix(x, 0).UTC(), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return time.Time{}, fmt.Errorf("%v is not a whole number of epoch seconds", x)
		}
		return time.Unix(int64(x), 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("expected one date (ISO 8601 or epoch seconds), got %T", v)
}

// Session checks a request made at `at` with credentials issued at issued
// that expire at expires, and returns the whole seconds since they were
// issued. A request after the expiry is refused with ErrExpired (the STS
// API reference: the credentials last DurationSeconds); one before the
// issue is an error in the question.
func Session(at, issued, expires time.Time) (int64, error) {
	if at.After(expires) {
		return 0, fmt.Errorf("%w: the credentials expired at %s and the request is made at %s", ErrExpired, Format(expires), Format(at))
	}
	if at.Before(issued) {
		return 0, fmt.Errorf("the request, made at %s, precedes the credentials, issued at %s", Format(at), Format(issued))
	}
	return int64(at.Sub(issued) / time.Second), nil
}

// Format writes a time as the request context does (RFC 3339, UTC).
func Format(t time.Time) string { return t.UTC().Format(time.RFC3339) }
