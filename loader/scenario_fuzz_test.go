package loader

import "testing"

// FuzzParseScenario: decoding a scenario and loading its world must never
// panic, whatever the input.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(storeWorld))
	f.Add([]byte("checks:\n  - {name: x, principal: anonymous, action: s3:GetObject, resource: '*', expect: allow, source: s}\n"))
	f.Add([]byte(`{"world": {"accounts": [{"id": "111122223333", "users": [{"name": "a", "groups": ["g"]}]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := ParseScenario("fuzz.yaml", data)
		if err != nil {
			return
		}
		s, err := NewStore()
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Load(sc.World)
	})
}
