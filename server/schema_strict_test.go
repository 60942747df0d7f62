package server

import (
	"testing"
)

// strictCases are messages their schema refuses, with the id the server's
// error answer carries (none when the message has no readable id). Those
// with beyond are refused for a rule no JSON Schema can state (it is
// applied to the parsed value, where a duplicate key is already gone);
// docs/protocol.md states it.
var strictCases = []struct{ msg, id, beyond string }{
	{"{not json", "", ""},
	{"", "", ""},
	{`{"type":"ask","id":"t1","principal":"x"`, "", ""},
	{`["id"]`, "", ""},
	{`{"id":"t0"}`, "t0", ""},
	{`{"type":"fly","id":"t9"}`, "t9", ""},
	{`{"type":"ask","id":"t2","principal":7,"action":"s3:GetObject","resource":"*"}`, "t2", ""},
	{`{"type":"ask","id":"t3","id":"t4","principal":"x","action":"s3:GetObject","resource":"*"}`, "", "duplicate key"},
	{`{"type":"ask","id":"t5","principle":"x","action":"s3:GetObject","resource":"*"}`, "t5", ""},
	{`{"type":"ask","id":"t6","PRINCIPAL":"x","action":"s3:GetObject","resource":"*"}`, "t6", ""},
	{`{"type":"ask","id":"t7","principal":"x","action":"s3:GetObject","resource":"*"} {"id":"t8"}`, "", ""},
	{`{"type":"ask","principal":"x","action":"s3:GetObject","resource":"*"}`, "", ""},
	{`{"type":"ask","id":"","principal":"x","action":"s3:GetObject","resource":"*"}`, "", ""},
	{`{"type":"ask","id":"t13","principal":"` + alice + `","resource":"*"}`, "t13", ""},
	{`{"type":"ask","id":"t14","action":"s3:GetObject","resource":"*"}`, "t14", ""},
	{`{"type":"ask","id":"t15","principal":"` + alice + `","action":"s3:GetObject","resource":"*","time":"yesterday"}`, "t15", ""},
	{`{"type":"ask","id":"t16","principal":"` + alice + `","action":"s3:GetObject","resource":"*","session_policy":"@/etc/passwd"}`, "t16", ""},
	{`{"type":"ask","id":"t17","chain":{"as":"` + alice + `","steps":[],"extra":1},"action":"s3:GetObject","resource":"*"}`, "t17", ""},
	{`{"type":"ask","id":"t18","chain":{"as":"` + alice + `"},"action":"s3:GetObject","resource":"*"}`, "t18", ""},
	{`{"type":"ask","id":"t19","principal":"` + alice + `","action":"s3:GetObject","resource":"*","context":"aws:SourceIp=1.2.3.4"}`, "t19", ""},
	{`{"type":"ask","id":"t20","principal":"` + alice + `","action":"s3:GetObject","resource":"*","subscribe":"yes"}`, "t20", ""},
	{`{"type":"who_can","id":"t21","action":"s3:GetObject"}`, "t21", ""},
	{`{"type":"who_can","id":"t22","action":"s3:GetObject","resource":"*","reach":1}`, "t22", ""},
	{`{"type":"can","id":"t23"}`, "t23", ""},
	{`{"type":"reach","id":"t24","as":"` + alice + `","depth":11}`, "t24", ""},
	{`{"type":"reach","id":"t25","as":"` + alice + `","depth":-1}`, "t25", ""},
	{`{"type":"reach","id":"t26","as":"` + alice + `","depth":1.5}`, "t26", ""},
	{`{"type":"audit","id":"t27","world":"other.yaml"}`, "t27", ""},
	{`{"type":"complete","id":"t28","kind":"color","prefix":"r"}`, "t28", ""},
	{`{"type":"policy","id":"t30","kind":"password","target":"x"}`, "t30", ""},
	{`{"type":"cancel","id":7}`, "", ""},
	{`{"type":"open","id":"t31","world":"x"}`, "t31", ""},
	{`{"type":"edit","id":"t32","op":"fly","target":"` + alice + `"}`, "t32", ""},
	{`{"type":"edit","id":"t33","op":"put","kind":"inline","target":"x","Document":"{}"}`, "t33", ""},
	{`{"type":"edit","id":"t34","op":"attach","target":"` + alice + `"}`, "t34", ""},
	{`{"type":"edit","id":"t35","op":"put","kind":"inline","target":"` + alice + `","name":"read"}`, "t35", ""},
	{`{"type":"hello","id":"t36","version":1,"token":"` + token + `"}`, "t36", ""},
}

// The schemas and the server agree: every message its schema refuses is
// refused by the server (an error answer, TestSchemasEveryVerb sends
// them), and here, offline: the strict decoder refuses no message its
// schema accepts, and the schema refuses every message the decoder does.
func TestStrictDecodeAgreesWithSchema(t *testing.T) {
	sch := schemas(t)
	for _, tc := range strictCases {
		typ, err := validate(t, sch, []byte(tc.msg))
		if err == nil && typ != typeHello && tc.beyond == "" {
			t.Errorf("%s: the %s schema accepts it; the server refuses it", tc.msg, typ)
		}
	}
	for _, msg := range []string{
		askMsg("1", alice, "s3:GetObject", "arn:aws:s3:::b/k"),
		`{"type":"ask","id":"2","subscribe":true,"federated_by":"` + alice + `","principal":"arn:aws:sts::111122223333:federated-user/f","action":"s3:GetObject","resource":"*","session_policy":{"Version":"2012-10-17","Statement":[]},"vpc_endpoint":"vpce-1","context":{"aws:SourceIp":"10.0.0.1","aws:TagKeys":["a","b"]},"time":"2026-01-01T00:00:00Z"}`,
		`{"type":"who_can","id":"3","action":"s3:GetObject","resource":"*","context":{"aws:MultiFactorAuthPresent":true},"time":"2026-01-01T00:00:00Z","reach":false,"subscribe":true}`,
		`{"type":"can","id":"4","chain":{"as":"` + alice + `","time":"2026-01-01T00:00:00Z","steps":[{"GetSessionToken":{}}]}}`,
		`{"type":"reach","id":"5","chain":{"as":"` + alice + `","steps":[]},"depth":0}`,
		`{"type":"complete","id":"6","kind":"action"}`,
		`{"type":"edit","id":"7","op":"put","kind":"scp","target":"new","document":"{}","attach_to":"111122223333"}`,
		`{"type":"edit","id":"8","op":"detach","target":"` + alice + `","policy_arn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}`,
		`{"type":"hello","version":1,"token":"t"}`,
	} {
		if typ, err := validate(t, sch, []byte(msg)); err != nil {
			t.Errorf("%s: the %s schema refuses it: %v", msg, typ, err)
		}
		if _, _, err := decodeMessage([]byte(msg)); err != nil {
			t.Errorf("%s: valid by its schema, refused by the decoder: %v", msg, err)
		}
	}
	for _, tc := range strictCases {
		if _, _, err := decodeMessage([]byte(tc.msg)); err != nil && tc.beyond == "" {
			if _, verr := validate(t, sch, []byte(tc.msg)); verr == nil {
				t.Errorf("%s: refused by the decoder (%v), valid by its schema", tc.msg, err)
			}
		}
	}
}
