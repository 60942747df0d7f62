package scenario

import (
	"os"
	"testing"

	"github.com/clearance-dev/clearance/loader/store"
	"github.com/clearance-dev/clearance/loader/tree"
)

// FuzzParseScenario: decoding a scenario and loading its world must never
// panic, whatever the input.
func FuzzParseScenario(f *testing.F) {
	if data, err := os.ReadFile("../../corpus/example/company.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', expect: allow, source: s}\n"))
	f.Add([]byte(`{"world": {"accounts": [{"id": "111122223333", "users": [{"name": "a", "groups": ["g"]}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario("fuzz.yaml", data)
		if err != nil {
			return
		}
		s, err := store.NewStore()
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Load(sc.World)
	})
}

func FuzzDecodeChain(f *testing.F) {
	f.Add([]byte("as: arn:aws:iam::111111111111:user/a\nsteps:\n  - AssumeRole: {role: arn:aws:iam::111111111111:role/r, session: s1, tags: {a: b}, duration: 900}\n"))
	f.Add([]byte(`{"steps": [{"AssumeRoleWithWebIdentity": {"role": "r", "provider": "accounts.google.com", "session": "x", "claims": {"aud": ["a", "b"]}}}]}`))
	f.Add([]byte("steps:\n  - CognitoGetCredentials: {pool: p, authenticated: true, logins: [x]}\n  - GetSessionToken:\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := tree.Decode("fuzz.yaml", data)
		if err != nil {
			return
		}
		c, err := DecodeChain(n)
		if err == nil && len(c.Steps) == 0 {
			t.Fatal("a decoded chain has steps")
		}
	})
}
