package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/clearance-dev/clearance/engine"
)

func orgEdit(id, kind, name, doc, at string) string {
	return `{"type":"edit","id":"` + id + `","op":"put","kind":"` + kind + `","target":"` + name +
		`","document":` + strconv.Quote(doc) + `,"attach_to":"` + at + `"}`
}

const carol = "arn:aws:iam::111122223333:user/carol"

// A new SCP attached to an OU or an account, and an RCP at the root, in
// an overlay. An SCP that denies an action denies it explicitly; the
// level keeps FullAWSAccess ("By default, an SCP named FullAWSAccess is
// attached to every root, OU, and account", orgs_manage_policies_scps.html),
// so what the new SCP does not deny stays allowed. An RCP's Deny applies
// to the resources of the member accounts below it
// (orgs_manage_policies_rcps.html). The welcome lists the levels.
func TestOverlayAttachesOrgPolicies(t *testing.T) {
	ts := startWorld(t, docWorld, Config{})
	c := ts.client()
	levels := ts.welcome.World.OrgLevels
	if len(levels) != 3 || levels[0] != (OrgLevel{ID: "r-1", Kind: "root"}) || levels[1].ID != "ou-1" || levels[2].ID != "111122223333" {
		t.Errorf("org levels %+v", levels)
	}
	ask := func(id, action string) Out {
		send(t, c, askMsg(id, carol, action, "arn:aws:s3:::b/k"))
		return until(t, c, id, outAnswer)
	}
	send(t, c, `{"type":"open","id":"o"}`)
	until(t, c, "o", outOverlay)
	deny := func(action string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"` + action + `","Resource":"*"}}`
	}
	for _, tc := range []struct {
		edit, action, want, blockedBy string
	}{
		{orgEdit("e1", "scp", "NoDelete", deny("s3:DeleteObject"), "ou-1"), "s3:GetObject", engine.Allow, ""},
		{"", "s3:DeleteObject", engine.ExplicitDeny, "scp"},
		{orgEdit("e2", "scp", "NoGet", deny("s3:GetObject"), "111122223333"), "s3:GetObject", engine.ExplicitDeny, "scp"},
		{orgEdit("e3", "scp", "NoGet", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:ListBucket","Resource":"*"}}`, ""), "s3:GetObject", engine.Allow, ""},
		{orgEdit("e4", "rcp", "NoGetHere", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`, "r-1"), "s3:GetObject", engine.ExplicitDeny, "rcp"},
	} {
		if tc.edit != "" {
			send(t, c, tc.edit)
			if o := recv(t, c); o.Type != outOverlay {
				t.Fatalf("%s: %+v", tc.edit, o)
			}
		}
		o := ask("q-"+tc.action, tc.action)
		if o.Decision == nil || o.Decision.Decision != tc.want || o.Decision.BlockedBy != tc.blockedBy {
			t.Errorf("after %s: %s is %+v, want %s by %q", tc.edit, tc.action, o.Decision, tc.want, tc.blockedBy)
		}
	}
	for _, tc := range []struct{ msg, want string }{
		{orgEdit("x1", "scp", "New", deny("s3:*"), ""), "attach_to must name"},
		{orgEdit("x2", "scp", "New", deny("s3:*"), "ou-none"), "neither the root"},
		{orgEdit("x3", "scp", "New", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Deny\"}\n}", "r-1"), "line 3"},
	} {
		send(t, c, tc.msg)
		if o := recv(t, c); o.Type != outError || !strings.Contains(o.Error+" line "+strconv.Itoa(o.Line), tc.want) {
			t.Errorf("%s: %+v, want %q", tc.msg, o, tc.want)
		}
	}
	// Another connection still has the loaded world.
	other := ts.client()
	send(t, other, askMsg("w", carol, "s3:GetObject", "arn:aws:s3:::b/k"))
	if o := recv(t, other); o.Verdict != engine.Allow {
		t.Errorf("the other connection sees %+v", o)
	}
}
