package audit

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/clearance-dev/clearance/engine"
	"github.com/clearance-dev/clearance/engine/checks"
	"github.com/clearance-dev/clearance/engine/enginetest"
	"github.com/clearance-dev/clearance/engine/sts"
	"github.com/clearance-dev/clearance/loader/scenario"
)

// Differential: every finding of the new kinds rests on allowed decisions
// that `clearance why` gives again. Each evidence's replay command is read
// back into a question and asked of the engine directly (sts.Ask, what
// why does); the decision must be the evidence's, and Allow.
func TestWideFindingsReplay(t *testing.T) {
	ctx := context.Background()
	opts := AuditOptions{Time: enginetest.T0, World: "w", Context: map[string]any{"aws:RequestedRegion": "us-east-1", "aws:SecureTransport": true}}
	company, err := os.ReadFile("../../corpus/example/company.yaml")
	if err != nil {
		t.Fatal(err)
	}
	export, err := scenario.LoadInputs([]string{"../../examples/aws-export"}, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	exportEngine, err := checks.OpenScenario(ctx, export)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		name string
		e    *engine.Engine
		min  int // findings of the new kinds the world must have
	}{
		{"company.yaml", enginetest.Open(t, string(company)), 5},
		{"aws-export", exportEngine, 5},
		{"generated", enginetest.Open(t, generatedWideWorld()), 20},
		{"wide", enginetest.Open(t, wideWorld), 7},
	} {
		rep, err := New(w.e).Audit(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		n, replayed := 0, 0
		for _, f := range rep.Findings {
			if f.Rule != RuleDataAccess && f.Rule != RuleResourceExposure && f.Rule != RuleCredentialsExposure {
				continue
			}
			n++
			// Generated: an explicit Deny (guard 1) or a named resource
			// (form 2) leaves no wide access.
			if name := f.Principal[strings.LastIndex(f.Principal, "/")+1:]; w.name == "generated" && (strings.HasSuffix(name, "-1") || strings.Contains(name, "-2-")) {
				t.Errorf("generated: %s flagged", f.Title)
			}
			if len(f.Evidence) == 0 || f.Policy == "" || len(f.Grants) == 0 {
				t.Errorf("%s: %s: no evidence or grant", w.name, f.Title)
			}
			for _, ev := range f.Evidence {
				q := questionOf(t, ev.Why)
				ans, err := sts.New(w.e).Ask(ctx, q)
				if err != nil {
					t.Fatalf("%s: %s: %v", w.name, ev.Why, err)
				}
				if ans.Decision == nil || ans.Decision.Decision != ev.Decision || ev.Decision != engine.Allow {
					t.Errorf("%s: %s: replayed %+v, evidence says %s", w.name, ev.Why, ans.Decision, ev.Decision)
				}
				replayed++
			}
		}
		if n < w.min || replayed < n {
			t.Errorf("%s: %d wide findings (%d decisions replayed), want at least %d", w.name, n, replayed, w.min)
		}
	}
}

// generatedWideWorld makes one user and one role per action of each kind
// (a sample), resource form (every resource, a service wildcard, one
// named resource) and guard (none, an explicit Deny, an MFA condition).
func generatedWideWorld() string {
	actions := []string{"s3:GetObject", "secretsmanager:GetSecretValue", "ssm:GetParameters", "dynamodb:Scan",
		"s3:PutBucketPolicy", "sqs:AddPermission", "lambda:AddPermission", "iam:UpdateAccessKey",
		"ecr:GetAuthorizationToken", "sts:GetFederationToken", "redshift:GetClusterCredentials"}
	var users, roles strings.Builder
	for i, act := range actions {
		svc, _, _ := strings.Cut(act, ":")
		for j, res := range []string{`"*"`, `"arn:aws:` + svc + `:*"`, `"arn:aws:` + svc + `:us-east-1:111122223333:named"`} {
			for k, guard := range []string{"", `, {Effect: Deny, Action: "` + act + `", Resource: "*"}`, ""} {
				cond := ""
				if k == 2 {
					cond = `, Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}`
				}
				doc := fmt.Sprintf(`{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "%s", Resource: %s%s}%s]}`, act, res, cond, guard)
				name := fmt.Sprintf("g%d-%d-%d", i, j, k)
				fmt.Fprintf(&users, "        - {name: %s, policies: [{name: p, document: %s}]}\n", name, doc)
				fmt.Fprintf(&roles, "        - {name: %s, trust: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}, policies: [{name: p, document: %s}]}\n", name, doc)
			}
		}
	}
	return "world:\n  accounts:\n    - id: \"111122223333\"\n      users:\n" + users.String() + "      roles:\n" + roles.String()
}

// questionOf reads a replay command (clearance why ...) back into the
// question it asks.
func questionOf(t *testing.T, why string) *sts.Question {
	t.Helper()
	words := splitWords(t, why)
	q := &sts.Question{}
	q.Context = map[string]any{}
	for i := 2; i+1 < len(words); i += 2 {
		v := words[i+1]
		switch words[i] {
		case "--world":
		case "--principal":
			q.Principal = v
		case "--as":
			q.Chain = &sts.Chain{As: v}
		case "--step":
			if v != "GetSessionToken mfa=true" || q.Chain == nil {
				t.Fatalf("%s: step %q", why, v)
			}
			st, err := sts.DecodeStep("step", []byte(`{"GetSessionToken": {"mfa": true}}`))
			if err != nil {
				t.Fatal(err)
			}
			q.Chain.Steps = append(q.Chain.Steps, st)
		case "--action":
			q.Action = v
		case "--resource":
			q.Resource = v
		case "--resource-account":
			q.ResourceAccount = v
		case "--context":
			k, val, _ := strings.Cut(v, "=")
			q.Context[k] = val
		case "--time":
			at, err := time.Parse(time.RFC3339, v)
			if err != nil {
				t.Fatal(err)
			}
			q.Time = at
		default:
			t.Fatalf("%s: unknown flag %s", why, words[i])
		}
	}
	return q
}

// splitWords splits a command line with single-quoted words.
func splitWords(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	inQuote, have := false, false
	for _, c := range s {
		switch {
		case c == '\'':
			inQuote, have = !inQuote, true
		case c == ' ' && !inQuote:
			if have {
				out = append(out, cur.String())
				cur.Reset()
			}
			have = false
		default:
			cur.WriteRune(c)
			have = true
		}
	}
	if inQuote {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if have {
		out = append(out, cur.String())
	}
	return out
}
