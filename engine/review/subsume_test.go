package review

import "testing"

func TestHolder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"arn:aws:sts::111122223333:assumed-role/app/*", "arn:aws:iam::111122223333:role/app"},
		{"arn:aws:sts::111122223333:assumed-role/app/session-1", "arn:aws:iam::111122223333:role/app"},
		{"arn:aws-cn:sts::111122223333:assumed-role/app/s", "arn:aws-cn:iam::111122223333:role/app"},
		{"arn:aws:sts::111122223333:federated-user/carol", "arn:aws:sts::111122223333:federated-user/carol"},
		{"arn:aws:iam::111122223333:user/dev", "arn:aws:iam::111122223333:user/dev"},
		{"*", "*"},
	} {
		if got := holder(c.in); got != c.want {
			t.Errorf("holder(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// An administrator's added permissions fold into its finding; another
// principal's stay, and the count is said.
func TestSubsumeAdministrators(t *testing.T) {
	role := "arn:aws:iam::111122223333:role/app"
	fs := []Finding{
		{Rule: RuleNewAdministrator, Principal: role, Message: "admin"},
		{Rule: RuleAccessAdded, Principal: "arn:aws:sts::111122223333:assumed-role/app/*", Action: "s3:GetObject"},
		{Rule: RuleAccessAdded, Principal: role, Action: "iam:PassRole"},
		{Rule: RuleAccessAdded, Principal: "arn:aws:iam::111122223333:user/dev", Action: "s3:GetObject"},
		{Rule: RuleAccessRemoved, Principal: role, Action: "sqs:SendMessage"},
	}
	got := subsumeAdministrators(fs)
	if len(got) != 3 || got[1].Principal != "arn:aws:iam::111122223333:user/dev" || got[2].Rule != RuleAccessRemoved {
		t.Fatalf("got %+v", got)
	}
	if want := "admin (2 access-added findings of this principal are folded into this one)"; got[0].Message != want {
		t.Errorf("message %q, want %q", got[0].Message, want)
	}
}
