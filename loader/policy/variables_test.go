// Tests of policy variables in conditions and resources, and of Version
// 2008-10-17, where they are literal text.

package policy

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseVariables(t *testing.T) {
	tmpl := func(parts ...TemplatePart) Template { return Template{Parts: parts} }
	lit := func(s string) TemplatePart { return TemplatePart{Lit: s} }
	v := func(k string) TemplatePart { return TemplatePart{Var: k} }
	for _, c := range []struct {
		name, block string
		want        []any
		warn        string
	}{
		{"equals raw", `{"StringEquals": {"k": "a*${aws:UserName}?"}}`, []any{tmpl(lit("a*"), v("aws:username"), lit("?"))}, ""},
		{"like glob", `{"StringLike": {"k": "home/${aws:userid}/*"}}`, []any{tmpl(lit("home/"), v("aws:userid"), lit("/*"))}, ""},
		{"escapes like", `{"StringLike": {"k": "a${*}b${?}c${$}d*"}}`, []any{`a\*b\?c$d*`}, ""},
		{"escapes equals", `{"StringEquals": {"k": "a${*}b${?}c${$}"}}`, []any{"a*b?c$"}, ""},
		{"default", `{"StringEquals": {"k": "${aws:PrincipalTag/team, 'company-wide'}"}}`,
			[]any{tmpl(TemplatePart{Var: "aws:principaltag/team", Default: "company-wide", HasDefault: true})}, ""},
		{"default tight", `{"ArnLike": {"k": "arn:aws:s3:::b-${aws:PrincipalTag/team,'x*y'}"}}`,
			[]any{tmpl(lit("arn:aws:s3:::b-"), TemplatePart{Var: "aws:principaltag/team", Default: "x*y", HasDefault: true})}, ""},
		{"default with brace", `{"StringEquals": {"k": "${a, '}'}"}}`, []any{tmpl(TemplatePart{Var: "a", Default: "}", HasDefault: true})}, ""},
		{"bool var", `{"Bool": {"k": "${aws:MultiFactorAuthPresent}"}}`, []any{tmpl(v("aws:multifactorauthpresent"))}, ""},
		{"unterminated", `{"StringLike": {"k": "a${aws:username"}}`, []any{"a${aws:username"}, `unterminated "${" is taken as literal text`},
		{"empty var", `{"StringEquals": {"k": "${}x"}}`, []any{"${}x"}, `"${}" is not a policy variable`},
		{"bad default", `{"StringEquals": {"k": "${a, b}"}}`, []any{"${a, b}"}, "malformed default"},
		{"nested", `{"StringEquals": {"k": "${a${b}"}}`, []any{tmpl(lit("${a"), v("b"))}, "is not a policy variable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs, warns := cond(t, Version2012, c.block)
			if !reflect.DeepEqual(cs[0].Values, c.want) {
				t.Errorf("values = %#v, want %#v", cs[0].Values, c.want)
			}
			_, isTmpl := c.want[0].(Template)
			if cs[0].HasVars != isTmpl {
				t.Errorf("HasVars = %v", cs[0].HasVars)
			}
			if (c.warn == "") != (len(warns) == 0) || len(warns) > 0 && !strings.Contains(warns[0], c.warn) {
				t.Errorf("warnings = %q, want %q", warns, c.warn)
			}
		})
	}
}

func TestParseVariablesInResources(t *testing.T) {
	p := mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": [
		"arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${*}", "arn:*:kms:*:${aws:PrincipalAccount}:key/*"]}}`, KindIdentity)
	st := p.Statements[0]
	want := []any{
		Template{Parts: []TemplatePart{{Lit: "arn:aws:s3:::b/"}, {Var: "aws:username"}, {Lit: "/*"}}},
		`arn:aws:s3:::b/\*`,
		Template{Parts: []TemplatePart{{Lit: "arn:*:kms:*:"}, {Var: "aws:principalaccount"}, {Lit: ":key/*"}}},
	}
	if !reflect.DeepEqual(st.Resources, want) || !st.ResVars {
		t.Errorf("resources = %#v (ResVars %v), want %#v", st.Resources, st.ResVars, want)
	}
}

func TestParseVersion2008Literal(t *testing.T) {
	for _, version := range []string{"", Version2008} {
		cs, warns := cond(t, version, `{"StringLike": {"k": "${aws:username}/${*}"}, "StringEquals": {"k": "${aws:username}"}}`)
		if !reflect.DeepEqual(cs[0].Values, []any{"${aws:username}/${*}"}) || cs[0].HasVars ||
			!reflect.DeepEqual(cs[1].Values, []any{"${aws:username}"}) || len(warns) != 0 {
			t.Errorf("version %q: conditions %+v, warnings %q", version, cs, warns)
		}
		doc := `{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}}`
		if version != "" {
			doc = `{"Version": "2008-10-17", ` + doc[1:]
		}
		p := mustParse(t, doc, KindIdentity)
		if p.Version != Version2008 || p.Statements[0].Resources[0] != "arn:aws:s3:::b/${aws:username}" || p.Statements[0].ResVars {
			t.Errorf("version %q: %+v", version, p.Statements[0])
		}
	}
}
