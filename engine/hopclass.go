package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clearance-dev/clearance/engine/index"
	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/world"
)

// A caller's AssumeRole hop into a role is decided by the caller, the
// step, the time, and of the role only: its account (same or cross
// account, aws:ResourceAccount and the org keys, the RCPs), its tags
// (aws:ResourceTag), its maximum session duration, its trust policy, and
// which candidate statements' Resource patterns match its ARN (the only
// use of a hop's ARN in the decision logic: statement.rego's _resource_ok).
// Two roles alike in all of these give the caller the same answer, so
// the audit's reverse search, which tries a caller against many roles
// until one lets it in, need not decide a second refusal of the same
// class. HopClass returns that class, or "" when it cannot be sure (a
// Resource with policy variables, a caller carrying a source identity,
// which adds a second action, or a role ARN also declared as a resource).

// roleClassSlot names the role classes' cache in a generation's view.
type roleClassSlot struct{}

// roleClass is the part of a hop class that depends on the role alone,
// kept per role ARN.
func roleClass(classes *Cache, role *world.Role) string {
	if c, ok := classes.Load(role.ARN); ok {
		return c.(string)
	}
	trust := "none"
	if role.Trust != nil {
		sum := sha256.Sum256(role.Trust.Source)
		trust = hex.EncodeToString(sum[:])
	}
	var sb strings.Builder // each part with its length first (memo.go)
	part(&sb, role.Account)
	part(&sb, strconv.Itoa(role.MaxSessionDuration))
	part(&sb, trust)
	for _, k := range slices.Sorted(maps.Keys(role.Tags)) {
		part(&sb, k)
		part(&sb, role.Tags[k])
	}
	c := sb.String()
	classes.Store(role.ARN, c)
	return c
}

// HopClass returns the class of the AssumeRole hop from s into the role
// at time at (see above), or "" when it cannot be sure.
func (e *Engine) HopClass(snap *store.Snapshot, s *Session, arn string, at time.Time) (string, error) {
	role, ok := snap.Role(arn)
	if !ok || s.SourceIdentity != "" || (role.Trust != nil && len(role.Trust.Source) == 0) {
		return "", nil // (a trust policy not parsed from a document has no text to compare)
	}
	v := e.viewFor(snap) // the caller's snapshot, as the role lookup above
	if v.resourceRows(arn).resource != nil {
		return "", nil
	}
	in, err := v.statements(&Request{Session: s, Action: "sts:AssumeRole", Resource: arn,
		ResourceAccount: role.Account, Time: at})
	if err != nil {
		return "", err
	}
	mask := make([]byte, len(in.stmts))
	for i, c := range in.stmts {
		switch {
		case c.st.NoResource:
			mask[i] = 'n'
		case c.st.ResVars:
			return "", nil
		case index.ResourceMatches(c.st, arn):
			mask[i] = '1'
		default:
			mask[i] = '0'
		}
	}
	return roleClass(e.Cache(snap, roleClassSlot{}), role) + "\x00" + string(mask), nil
}
