package policy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/clearance-dev/clearance/internal/sharedtest"
	"github.com/clearance-dev/clearance/loader/tree"
)

// policySeeds are documents that reach every part of the grammar.
var policySeeds = []string{
	`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}}`,
	`{"Statement": [{"Sid": "A", "Effect": "Deny", "NotAction": ["iam:*", null], "NotResource": "*"}]}`,
	`{"Version": "2012-10-17", "Id": "x", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws:sts::111122223333:assumed-role/r/s"], "Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`,
	`{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "Action": "*", "Resource": "*"}}`,
	`{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {
		"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "${aws:PrincipalTag/x, 'd'}", "${*}"]},
		"NumericLessThan": {"s3:max-keys": [10, "2.5e1"]}, "DateGreaterThan": {"aws:CurrentTime": "2016-12-13t2:00:00.593194+23"},
		"Bool": {"aws:SecureTransport": [true, "${aws:x}"]}, "Null": {"k": "false"}, "BinaryEquals": {"k": "QQ=="},
		"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "::1"]}, "ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:*:t"}, "x": {}}}}`,
	`{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Effect": "Deny"}}`,
	`This is not a json document`,
	`[1, 2`,
}

func FuzzParsePolicy(f *testing.F) {
	for _, s := range policySeeds {
		f.Add([]byte(s))
	}
	for _, doc := range sharedSeeds(f) {
		f.Add(doc)
	}
	kinds := []PolicyKind{KindIdentity, KindBoundary, KindSession, KindResource, KindTrust, KindSCP, KindRCP}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := tree.DecodeJSON("fuzz.json", data)
		if err != nil {
			return
		}
		if _, err := tree.DecodeJSON("again.json", n.JSON()); err != nil {
			t.Fatalf("JSON() of a decoded document does not decode: %v\n%s", err, n.JSON())
		}
		for _, k := range kinds {
			p, err := ParsePolicy("fuzz.json", n, k, "fuzz")
			if err != nil {
				if _, ok := err.(*tree.Error); !ok {
					t.Fatalf("error %v is not an *Error", err)
				}
				continue
			}
			if !json.Valid(p.Source) || len(p.Statements) == 0 {
				t.Fatalf("bad policy: %d statements, source %s", len(p.Statements), p.Source)
			}
		}
		_ = ValidateCreatePolicy("fuzz.json", data)
	})
}

// sharedSeeds returns the moto vector documents when ../shared is present.
func sharedSeeds(f *testing.F) [][]byte {
	dir := sharedtest.Root()
	data, err := os.ReadFile(filepath.Join(dir, "conformance", "moto", "derived", "policy-validation-vectors.json"))
	if dir == "" || err != nil {
		f.Log("moto vectors not available; fuzzing from the built-in seeds only")
		return nil
	}
	var v motoVectors
	if json.Unmarshal(data, &v) != nil {
		return nil
	}
	var out [][]byte
	for _, c := range v.Invalid {
		out = append(out, motoDocument(c.Document))
	}
	for _, raw := range v.Valid {
		out = append(out, motoDocument(raw))
	}
	return out
}

func FuzzDecodeYAML(f *testing.F) {
	for _, s := range []string{
		"Version: 2012-10-17\nStatement:\n  - Effect: Allow\n    Action: [s3:*, 12, yes]\n    Resource: '*'\n",
		"a: &x {k: v}\nb: *x\nc: {<<: *x, z: 1}\n",
		"a: !!int 12\nb: !!str 12\nc: !!binary aGk=\nd: .inf\ne: 0x1F\nf: ~\n",
		"a: 1\na: 2\n", "a: [\n", "---\na: 1\n---\nb: 2\n", "? [a]\n: 1\n", "a: &x [*x]\n", "{\"a\": [1, 2]}",
		"a: 1\nb: c: d\n", "a: `x`\n", "b: \"x\\qy\"\n", "b: !foo!bar x\n", "a:\n\t- x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := tree.DecodeYAML("fuzz.yaml", data)
		if err != nil {
			return
		}
		js := n.JSON()
		again, err := tree.DecodeJSON("again.json", js)
		if err != nil {
			t.Fatalf("JSON() of a YAML document does not decode: %v\n%s", err, js)
		}
		if !bytes.Equal(again.JSON(), js) {
			t.Fatalf("JSON round trip differs:\n%s\n%s", js, again.JSON())
		}
		_, _ = ParsePolicy("fuzz.yaml", n, KindResource, "fuzz")
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2017-07-01T00:00:00Z", "01T", "-292275054", "1500000000", "9223372036854775807",
		"2016-12-13t2:00:00.593194+23", "2016-12-13T21:20:37.593194-05:30", "234-13", "2017-07-01T10:30Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseDate(s)
		if err != nil {
			return
		}
		_ = DateNanos(tm)
		if utf8.ValidString(s) && isASCII(s) {
			up, err := ParseDate(strings.ToUpper(s))
			if err != nil || !up.Equal(tm) {
				t.Fatalf("ParseDate(%q) = %v but ParseDate(upper) = %v, %v", s, tm, up, err)
			}
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
