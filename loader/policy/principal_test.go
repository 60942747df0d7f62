// Tests of the Principal element: its forms and their normalised values.

package policy

import (
	"reflect"
	"testing"
)

func TestParsePrincipals(t *testing.T) {
	empty := func() *Principal {
		return &Principal{AWS: []string{}, Service: []string{}, Federated: []string{}, Canonical: []string{}}
	}
	with := func(f func(p *Principal)) *Principal { p := empty(); f(p); return p }
	for _, c := range []struct {
		name, principal string
		want            *Principal
	}{
		{"star", `"*"`, with(func(p *Principal) { p.Any = true })},
		{"aws star", `{"AWS": "*"}`, with(func(p *Principal) { p.Any = true })},
		{"account", `{"AWS": "111122223333"}`, with(func(p *Principal) { p.AWS = []string{"arn:aws:iam::111122223333:root"} })},
		{"account number", `{"AWS": 111122223333}`, with(func(p *Principal) { p.AWS = []string{"arn:aws:iam::111122223333:root"} })},
		{"arns", `{"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/path/alice",
			"arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
			"arn:aws-cn:sts::111122223333:federated-user/carol", "AROAEXAMPLEID123456"]}`,
			with(func(p *Principal) {
				p.AWS = []string{"arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/path/alice",
					"arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
					"arn:aws-cn:sts::111122223333:federated-user/carol", "AROAEXAMPLEID123456"}
			})},
		{"service", `{"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}`,
			with(func(p *Principal) { p.Service = []string{"ec2.amazonaws.com", "lambda.amazonaws.com"} })},
		{"federated", `{"Federated": "arn:aws:iam::111122223333:saml-provider/idp"}`,
			with(func(p *Principal) { p.Federated = []string{"arn:aws:iam::111122223333:saml-provider/idp"} })},
		{"canonical", `{"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}`,
			with(func(p *Principal) {
				p.Canonical = []string{"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}
			})},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustParse(t, stmt(`"Effect": "Allow", "Principal": `+c.principal+`, "Action": "s3:GetObject"`), KindResource)
			st := p.Statements[0]
			if !reflect.DeepEqual(st.Principal, c.want) || st.NotPrincipal || !st.NoResource || len(st.Resources) != 0 {
				t.Errorf("principal %+v (not %v, no resource %v), want %+v", st.Principal, st.NotPrincipal, st.NoResource, c.want)
			}
		})
	}
	p := mustParse(t, stmt(`"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "*", "Resource": "*"`), KindResource)
	if st := p.Statements[0]; !st.NotPrincipal || st.Principal == nil || st.Principal.AWS[0] != "arn:aws:iam::111122223333:root" {
		t.Errorf("NotPrincipal statement = %+v", st)
	}
	p = mustParse(t, stmt(`"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"`), KindTrust)
	if st := p.Statements[0]; !st.NoResource || st.Principal.Service[0] != "ec2.amazonaws.com" {
		t.Errorf("trust statement = %+v", st)
	}
	p = mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}}`, KindRCP)
	if st := p.Statements[0]; !st.Principal.Any {
		t.Errorf("RCP statement = %+v", st)
	}
}
